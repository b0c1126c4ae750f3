using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Processes;

namespace Doris.Sandbox;

/// <summary>
/// <c>dorisctl sandbox --scenario spot</c> and the chaos run: a production-shaped cluster (3 FE and 3 BE on
/// on-demand nodes, CNs on Spot) lives through random Spot interruptions on simulated time. Some interruptions are
/// preceded by a rebalance recommendation; some replacement launches fail for lack of Spot capacity and are retried.
/// After every step the invariants are checked: the FE followers keep their quorum and no tablet is without a live
/// replica. Every CN drain is measured against the two-minute notice.
/// </summary>
public static partial class SpotScenario
{
    public const string Name = "spot";
    public const string Namespace = "default";
    public const string ClusterName = "spot";

    private static readonly TimeSpan Notice = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Fine = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Medium = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Coarse = TimeSpan.FromSeconds(5);

    public sealed record Options
    {
        public int Interruptions { get; init; } = 200;

        public TimeSpan Span { get; init; } = TimeSpan.FromDays(1);

        public int Seed { get; init; } = 20261122;

        /// <summary>Share of interruptions announced first by a rebalance recommendation (one to three minutes earlier).</summary>
        public double RebalanceShare { get; init; } = 0.15;

        /// <summary>Share of replacement launches that fail (InsufficientInstanceCapacity) and are retried ten minutes later.</summary>
        public double ShortageShare { get; init; } = 0.15;

        /// <summary>Share of interruptions aimed at a node that runs a CN (the rest hit a random Spot node).</summary>
        public double TargetCnShare { get; init; } = 0.6;

        public int ComputeNodes { get; init; } = 4;

        /// <summary>For the control run: pause reconciliation (dorisctl.io/paused) once the cluster is Ready, so nothing drains.</summary>
        public bool PauseOperator { get; init; }

        /// <summary>
        /// Run a DorisDisaggregatedCluster instead: meta service and FE on on-demand nodes, a compute group of
        /// <see cref="ComputeNodes"/> members on Spot (its members hold no data, so only the FE quorum is an invariant).
        /// </summary>
        public bool Disaggregated { get; init; }

        /// <summary>With <see cref="Disaggregated"/>: how long a decommissioned compute-group member takes to drain its queries.</summary>
        public TimeSpan ComputeDrain { get; init; } = TimeSpan.FromSeconds(3);
    }

    /// <summary>The storage-compute cluster of the chaos run: an on-demand compute group and a Spot one.</summary>
    public static Doris.Api.Disaggregated.DorisDisaggregatedCluster DisaggregatedManifest(int computeNodes) => new()
    {
        ApiVersion = Doris.Api.Crd.DorisDisaggregatedClusterCrd.ApiVersion,
        Kind = Doris.Api.Crd.DorisDisaggregatedClusterCrd.Kind,
        Metadata = new ObjectMeta { Name = ClusterName, Namespace = Namespace },
        Spec = new Doris.Api.Disaggregated.DisaggregatedClusterSpec
        {
            MetaService = new Doris.Api.Disaggregated.MetaServiceSpec { Replicas = 2, Image = "apache/doris:ms-3.0.3", Fdb = new Doris.Api.Disaggregated.FoundationDb { Address = "doris_fdb:sim@fdb.default.svc.cluster.local:4500" } },
            FeSpec = new Doris.Api.Disaggregated.DisaggregatedFeSpec { Replicas = 3, ElectionNumber = 3, Image = "apache/doris:fe-3.0.3", Requests = Resources("4", "16Gi") },
            ComputeGroups =
            [
                new Doris.Api.Disaggregated.ComputeGroup { UniqueId = "steady", Replicas = 2, Image = "apache/doris:be-3.0.3", Requests = Resources("4", "16Gi"), SpotPolicy = "avoid" },
                new Doris.Api.Disaggregated.ComputeGroup { UniqueId = "burst", Replicas = computeNodes, Image = "apache/doris:be-3.0.3", Requests = Resources("4", "16Gi"), SpotPolicy = "required" },
            ],
        },
    };

    public static DorisCluster Manifest(int computeNodes) => new()
    {
        ApiVersion = "doris.selectdb.com/v1",
        Kind = "DorisCluster",
        Metadata = new ObjectMeta { Name = ClusterName, Namespace = Namespace },
        Spec = new DorisClusterSpec
        {
            FeSpec = new FeSpec { Replicas = 3, Image = "apache/doris:fe-2.1.8", Requests = Resources("4", "16Gi") },
            BeSpec = new BeSpec { Replicas = 3, Image = "apache/doris:be-2.1.8", Requests = Resources("8", "64Gi") },
            CnSpec = new CnSpec { Replicas = computeNodes, Image = "apache/doris:be-2.1.8", Requests = Resources("4", "16Gi"), SpotPolicy = "required" },
        },
    };

    public static async Task<Result> RunAsync(SandboxEnvironment env, SimulatedDriver driver, Options options, Action<string> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var clock = driver.Clock;
        var start = clock.GetUtcNow();
        var run = new Run(env, driver, options, report);
        if (options.Disaggregated)
        {
            var configure = env.Cluster.Doris.Configure;
            env.Cluster.Doris.Configure = m =>
            {
                configure?.Invoke(m);
                m.ComputeDrain = options.ComputeDrain;
            };
            await env.ApplyAsync(DisaggregatedManifest(options.ComputeNodes), [], cancellationToken).ConfigureAwait(false);
            report($"applied DorisDisaggregatedCluster {Namespace}/{ClusterName}: meta service, 3 FE and compute group steady (2) on on-demand nodes, compute group burst ({options.ComputeNodes}) on Spot; waiting until Ready");
        }
        else
        {
            await env.ApplyAsync(Manifest(options.ComputeNodes), [], cancellationToken).ConfigureAwait(false);
            report($"applied DorisCluster {Namespace}/{ClusterName}: 3 FE + 3 BE on on-demand nodes, {options.ComputeNodes} CNs on Spot; waiting until Ready");
        }

        if (!await run.UntilAsync(() => run.IsReadyAsync(), TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false))
        {
            return run.Finish(false, "the cluster did not become Ready within 10 simulated minutes", start, wall.Elapsed);
        }

        var members = options.Disaggregated ? 2 + options.ComputeNodes : 3 + options.ComputeNodes;
        await run.UntilAsync(() => Task.FromResult(run.Doris.Backends().Count(b => b.Alive) == members), TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        if (!options.Disaggregated)
        {
            run.Doris.SeedTablets(60);
        }

        if (options.PauseOperator)
        {
            var pause = "{\"metadata\":{\"annotations\":{\"" + DorisLabels.Paused + "\":\"true\"}}}";
            if (options.Disaggregated)
            {
                await env.DisaggregatedClusters.PatchAsync(Namespace, ClusterName, Kubernetes.Client.PatchType.Merge, pause, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await env.Clusters.PatchAsync(Namespace, ClusterName, Kubernetes.Client.PatchType.Merge, pause, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await driver.StepAsync(Fine).ConfigureAwait(false);
        }

        report(options.Disaggregated
            ? $"Ready; {options.Interruptions} Spot interruptions over {options.Span.TotalHours:0.#} simulated hours (seed {options.Seed})"
            : $"Ready; 60 tablets x {run.Doris.ReplicationNum} replicas on the BEs; {options.Interruptions} Spot interruptions over {options.Span.TotalHours:0.#} simulated hours (seed {options.Seed})");
        var violation = await run.ChaosAsync(cancellationToken).ConfigureAwait(false);
        if (violation is null && !options.PauseOperator && !await run.UntilAsync(() => run.IsReadyAsync(), TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false))
        {
            violation = "the cluster was not Ready again within 10 simulated minutes of the last interruption";
        }

        return run.Finish(violation is null, violation, start, wall.Elapsed);
    }

    private static Dictionary<string, Quantity> Resources(string cpu, string memory) => new(StringComparer.Ordinal) { ["cpu"] = cpu, ["memory"] = memory };

    private static IReadOnlyList<Pod> Pods(SandboxEnvironment env, string component) =>
        env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, Namespace, $"{DorisLabels.Cluster}={ClusterName},{DorisLabels.Component}={component}");

    /// <summary>The invariants: FE followers keep a majority alive, and every tablet has a live replica.</summary>
    internal static string? Check(DorisModel doris)
    {
        if (doris.LostTablets() is > 0 and var lost)
        {
            return $"{lost} tablet(s) have no live replica";
        }

        var followers = doris.Frontends().Where(f => f.Role == "FOLLOWER").ToList();
        return followers.Count > 0 && followers.Count(f => f.Alive) <= followers.Count / 2
            ? $"FE quorum lost: {followers.Count(f => f.Alive)} of {followers.Count} followers alive"
            : null;
    }
}
