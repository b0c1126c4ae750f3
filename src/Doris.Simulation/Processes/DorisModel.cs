using System.Globalization;

namespace Doris.Simulation.Processes;

/// <summary>
/// One simulated Doris cluster as its FE master sees it: frontends, backends (BEs and CNs), and tablets with a
/// replication factor spread over the BEs. Decommissioning moves replicas off a BE over simulated time; a dead BE's
/// replicas are re-created elsewhere after a delay. <see cref="LostTablets"/> is the invariant the tests watch:
/// a tablet with no replica on a live BE is data lost.
/// </summary>
public sealed partial class DorisModel
{
    private readonly Lock _gate = new();
    private readonly List<Frontend> _frontends = [];
    private readonly List<Backend> _backends = [];
    private readonly List<HashSet<long>> _tablets = [];
    private long _nextBackendId = 10001;
    private DateTimeOffset? _lastTick;
    private double _credit; // replica moves earned but not yet spent (ticks are shorter than a second)

    public string User { get; init; } = "root";

    public string Password { get; init; } = string.Empty;

    public int ReplicationNum { get; set; } = 3;

    /// <summary>Replicas moved off each decommissioning BE per simulated second.</summary>
    public int MigrationPerSecond { get; set; } = 20;

    /// <summary>Fault switch: the FE does not answer (connections are refused).</summary>
    public bool FrontendDown { get; set; }

    /// <summary>
    /// Doris's <c>drop_backend_after_decommission</c> (default true, fe-core <c>Config</c>): a decommissioned backend
    /// with no tablets left is dropped by the FE itself, so it vanishes from <c>SHOW BACKENDS</c>.
    /// </summary>
    public bool DropBackendAfterDecommission { get; set; } = true;

    /// <summary>Fault switch: decommissions make no progress.</summary>
    public bool DecommissionStalled { get; set; }

    /// <summary>The release line answered as (column sets and version strings; see <see cref="DorisVersion"/>).</summary>
    public DorisVersion Version { get; set; } = DorisVersion.V2_1;

    /// <summary>Answer <c>SHOW BACKENDS</c>/<c>FRONTENDS</c> with Doris 1.x column names (<c>IP</c> instead of <c>Host</c>).</summary>
    public bool LegacyColumns { get; set; }

    /// <summary>Fault switch: answer with a layout no Doris version has (no host column at all).</summary>
    public bool UnknownLayout { get; set; }

    /// <summary>Fault switch: members (by pod name) whose process is down although the pod looks fine.</summary>
    public HashSet<string> Down { get; } = new(StringComparer.Ordinal);

    private readonly List<string> _statements = [];

    /// <summary>A copy of every statement received so far, for tests that check what the operator did.</summary>
    public IReadOnlyList<string> Statements
    {
        get
        {
            lock (_gate)
            {
                return [.. _statements];
            }
        }
    }

    public sealed record Frontend(string Host, int EditLogPort, string Role, bool IsMaster)
    {
        public bool Alive { get; set; } = true;
    }

    public sealed class Backend(long id, string host, int heartbeatPort, string role)
    {
        public long Id { get; } = id;

        public string Host { get; } = host;

        public int HeartbeatPort { get; } = heartbeatPort;

        public string Role { get; } = role;

        public bool Alive { get; set; } = true;

        public bool Decommissioned { get; set; }

        /// <summary>tag.location (the resource group replica allocations refer to).</summary>
        public string Location { get; set; } = "default";

        /// <summary>disable_query: the FE plans no new queries on it.</summary>
        public bool QueryDisabled { get; set; }

        /// <summary>Storage-compute mode: the compute group it serves (name and the meta service's id), else null.</summary>
        public string? ComputeGroupName { get; init; }

        public string? ComputeGroupId { get; init; }

        /// <summary>When <c>DECOMMISSION</c> was accepted (a compute-group member leaves once its queries are done).</summary>
        public DateTimeOffset? DecommissionedAt { get; set; }

        public string Address => $"{Host}:{HeartbeatPort}";
    }

    public void RegisterFrontend(string host, int editLogPort, string role, bool master)
    {
        lock (_gate)
        {
            if (_frontends.FirstOrDefault(f => f.Host == host) is { } known)
            {
                known.Alive = true;
                return;
            }

            _frontends.Add(new Frontend(host, editLogPort, role, master && !_frontends.Any(f => f.IsMaster)));
        }
    }

    /// <summary>
    /// The BE entrypoint's <c>ALTER SYSTEM ADD BACKEND</c> on each container start, or re-activation when already
    /// known; a start also clears <c>disable_query</c>, as the entrypoint does, so a restarted member serves again.
    /// </summary>
    public void RegisterBackend(string host, int heartbeatPort, string role, string? computeGroup = null)
    {
        lock (_gate)
        {
            if (_backends.FirstOrDefault(b => b.Host == host) is { } known)
            {
                known.Alive = true;
                known.QueryDisabled = false;
                return;
            }

            // The meta service gives each compute group an id the first time a member of it registers.
            var groupId = computeGroup is null ? null : _backends.FirstOrDefault(b => b.ComputeGroupName == computeGroup)?.ComputeGroupId
                ?? $"{computeGroup}_{_nextBackendId.ToString(CultureInfo.InvariantCulture)}";
            _backends.Add(new Backend(_nextBackendId++, host, heartbeatPort, role) { ComputeGroupName = computeGroup, ComputeGroupId = groupId });
        }
    }

    /// <summary>
    /// Storage-compute mode: how long a decommissioned compute-group member keeps serving the queries it has before
    /// the FE drops it (its data is in object storage, so nothing moves; only running work drains).
    /// </summary>
    public TimeSpan ComputeDrain { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Marks members alive or dead from what the kubelet reports (pod Ready and not terminating).</summary>
    public void SetAlive(IReadOnlySet<string> aliveHosts)
    {
        lock (_gate)
        {
            foreach (var b in _backends)
            {
                b.Alive = aliveHosts.Contains(b.Host) && !Down.Contains(b.Host.Split('.')[0]);
            }

            foreach (var f in _frontends)
            {
                f.Alive = aliveHosts.Contains(f.Host);
            }
        }
    }

    /// <summary>
    /// Where the tablets' table (<c>sim_db.sim_table</c>, allocation <c>tag.location.default: ReplicationNum</c>) puts
    /// its replicas: Doris places, migrates and repairs replicas only on BEs with that tag, so BEs moved to other
    /// locations no longer count for it (fe-core <c>TabletScheduler</c>, <c>Tablet.getHealth</c>).
    /// </summary>
    public const string TabletLocation = "default";

    // A BE that can take replicas of the tablets' table: alive, not leaving, a BE (not a CN), in its location.
    private static bool Schedulable(Backend b) => b.Alive && !b.Decommissioned && b.Role == "mix" && b.Location == TabletLocation;

    /// <summary>Creates <paramref name="count"/> tablets of <see cref="ReplicationNum"/> replicas on the live BEs (round-robin).</summary>
    public void SeedTablets(int count)
    {
        lock (_gate)
        {
            var storage = _backends.Where(Schedulable).ToList();
            if (storage.Count < ReplicationNum)
            {
                throw new InvalidOperationException($"replication {ReplicationNum} needs {ReplicationNum} live BEs in location '{TabletLocation}', there are {storage.Count}");
            }

            for (var i = 0; i < count; i++)
            {
                _tablets.Add([.. Enumerable.Range(0, ReplicationNum).Select(r => storage[(i + r) % storage.Count].Id)]);
            }
        }
    }

    public int TabletCount
    {
        get
        {
            lock (_gate)
            {
                return _tablets.Count;
            }
        }
    }

    /// <summary>Tablets with no replica on a live backend: data that is gone.</summary>
    public int LostTablets()
    {
        lock (_gate)
        {
            var alive = _backends.Where(b => b.Alive).Select(b => b.Id).ToHashSet();
            return _tablets.Count(t => !t.Overlaps(alive));
        }
    }

    public IReadOnlyList<Backend> Backends()
    {
        lock (_gate)
        {
            return [.. _backends];
        }
    }

    public IReadOnlyList<Frontend> Frontends()
    {
        lock (_gate)
        {
            return [.. _frontends];
        }
    }

    /// <summary>Advances background work: replica migration off decommissioning BEs and repair of missing replicas.</summary>
    public void Tick(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (DropBackendAfterDecommission)
            {
                _backends.RemoveAll(b => b.Decommissioned && !_tablets.Any(t => t.Contains(b.Id)) &&
                                         (b.ComputeGroupName is null || now >= (b.DecommissionedAt ?? now) + ComputeDrain));
            }

            var elapsed = _lastTick is { } last ? now - last : TimeSpan.Zero;
            _lastTick = now;
            _credit += elapsed.TotalSeconds * MigrationPerSecond;
            var budget = (int)Math.Floor(_credit);
            if (budget <= 0)
            {
                return;
            }

            _credit -= budget;

            var targets = _backends.Where(Schedulable).ToList();
            foreach (var source in _backends.Where(b => b.Decommissioned && !DecommissionStalled))
            {
                var moved = 0;
                foreach (var tablet in _tablets.Where(t => t.Contains(source.Id)))
                {
                    if (moved >= budget)
                    {
                        break;
                    }

                    if (targets.Where(t => !tablet.Contains(t.Id)).OrderBy(t => _tablets.Count(x => x.Contains(t.Id))).FirstOrDefault() is { } target)
                    {
                        // A replica is copied from any live holder, then removed from the decommissioning BE.
                        if (tablet.Any(id => id != source.Id && _backends.First(b => b.Id == id).Alive) || source.Alive)
                        {
                            tablet.Add(target.Id);
                            tablet.Remove(source.Id);
                            moved++;
                        }
                    }
                }
            }

            // Repair: a tablet with fewer live replicas than the replication factor gets a new one (from a live copy).
            var repairs = 0;
            foreach (var tablet in _tablets)
            {
                var live = tablet.Where(id => _backends.First(b => b.Id == id).Alive).ToList();
                if (live.Count == 0 || live.Count >= ReplicationNum || repairs >= budget)
                {
                    continue;
                }

                if (targets.Where(t => !tablet.Contains(t.Id)).OrderBy(t => _tablets.Count(x => x.Contains(t.Id))).FirstOrDefault() is { } target)
                {
                    tablet.Add(target.Id);
                    repairs++;
                }
            }
        }
    }
}
