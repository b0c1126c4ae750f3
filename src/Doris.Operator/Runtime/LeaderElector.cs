using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Runtime;

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease. Every write is conditional on the Lease's
/// resourceVersion, so two candidates can never both believe they hold it; a leader that cannot renew
/// within the renew deadline stops leading before its lease can expire; a clean shutdown releases the lease
/// so the next leader need not wait for it to expire.
/// </summary>
public sealed class LeaderElector(ResourceClient<Lease> leases, LeaderElectionOptions options, TimeProvider time)
{
    public bool IsLeader { get; private set; }

    /// <summary>An election request is on its way (real I/O): a driver of simulated time waits for it before moving the clock.</summary>
    public bool Busy => Volatile.Read(ref _busy) > 0;

    private int _busy;
    private int _rounds;

    /// <summary>Election rounds completed (won or lost).</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>Why the last round got no answer from the API server, or null when it did (won, lost a race, or found the lease held).</summary>
    public string? Unreachable => Volatile.Read(ref _unreachable);

    private string? _unreachable;

    /// <summary>
    /// Raised when rounds stop reaching the API server (with why) and when one reaches it again (null): a transition,
    /// not every round, so the operator logs it once. A network cut or a refused certificate is otherwise only in
    /// /readyz.
    /// </summary>
    public event Action<string?>? UnreachableChanged;

    /// <summary>
    /// Why the API server refuses this candidate the Lease (forbidden, unauthorized, its namespace missing, invalid),
    /// with the fix; null when the last round was not refused. Unlike a race lost or a lease held by another, a refusal
    /// does not pass by itself: the candidate can never lead until someone fixes it.
    /// </summary>
    public string? Refused => Volatile.Read(ref _refused);

    private string? _refused;

    /// <summary>Raised when <see cref="Refused"/> changes (to a new reason, or back to null), so it is logged once, not per round.</summary>
    public event Action<string?>? RefusedChanged;

    /// <summary>When a round last had an answer from the API server (null before the first).</summary>
    public DateTimeOffset? LastAnswer { get; private set; }

    /// <summary>Give the lease back when cancelled (a graceful stop); false models a killed process, whose lease must expire.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    /// <summary>Campaigns until elected, runs <paramref name="lead"/> while leading, and returns when leadership ends or is cancelled.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        try
        {
            while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(options.RetryPeriod, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopped while still a candidate: nothing to release
        }

        IsLeader = true;
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = lead(leading.Token);
        try
        {
            var lastRenew = time.GetUtcNow();
            while (!cancellationToken.IsCancellationRequested && !work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(options.RetryPeriod, time, cancellationToken)).ConfigureAwait(false);
                if (work.IsCompleted || cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                {
                    lastRenew = time.GetUtcNow();
                }
                else if (time.GetUtcNow() - lastRenew >= options.RenewDeadline)
                {
                    break; // could not renew in time: another candidate may take over, so stop now
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            IsLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            if (cancellationToken.IsCancellationRequested && ReleaseOnCancel)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>One election round: take a free or expired lease, or renew our own. False when another holder is current or we lost a race.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _busy);
        try
        {
            return await RoundAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref _rounds);
            Interlocked.Decrement(ref _busy);
        }
    }

    private async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Lease? current;
        try
        {
            // Absent (a first start) is an answer, not an error: FindAsync says so without throwing, which on a cold
            // start also spares the process the first exception's cost before it can lead.
            current = await leases.FindAsync(options.Namespace, options.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            Heard(e, "get");
            return false; // API trouble: not leading this round
        }

        Heard(null, null, settles: false); // the lease was read; whether this candidate may write it is known below

        try
        {
            if (current is null)
            {
                await leases.CreateAsync(new Lease
                {
                    ApiVersion = "coordination.k8s.io/v1",
                    Kind = "Lease",
                    Metadata = new ObjectMeta { Name = options.Name, Namespace = options.Namespace },
                    Spec = Spec(now, now, 0),
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var spec = current.Spec ?? new LeaseSpec();
                var held = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != options.Identity;
                var expires = (spec.RenewTime ?? DateTimeOffset.MinValue) + TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0);
                if (held && expires > now)
                {
                    Heard(null, null);
                    return false;
                }

                var mine = spec.HolderIdentity == options.Identity;
                await leases.ReplaceAsync(current with
                {
                    Spec = Spec(mine ? spec.AcquireTime ?? now : now, now, (spec.LeaseTransitions ?? 0) + (mine ? 0 : 1)),
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsAlreadyExists)
        {
            Heard(null, null);
            return false; // someone else wrote first
        }
        catch (KubernetesApiException e)
        {
            Heard(e, current is null ? "create" : "update");
            return false;
        }

        Heard(null, null);
        return true;
    }

    // No answer at all (connection refused, timeout) or a server error: the API server was not reached this round.
    // Any other error is an answer, and one that refuses this candidate the Lease is said as such (see Refused).
    private void Heard(KubernetesApiException? e, string? verb, bool settles = true)
    {
        // Throttling (429) and a request timeout (408) pass by themselves like a 5xx: not a refusal, and they get the
        // same grace, so API priority and fairness shedding a round does not flap /readyz.
        var unreachable = e is not null && ((int)e.Code == 0 || (int)e.Code >= 500 || e.Code is System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.RequestTimeout) ? e.Message : null;
        if (unreachable is null)
        {
            LastAnswer = time.GetUtcNow();
        }

        if ((Interlocked.Exchange(ref _unreachable, unreachable) is null) != (unreachable is null))
        {
            UnreachableChanged?.Invoke(unreachable);
        }
        if (!settles)
        {
            return;
        }

        var refused = e is null || unreachable is not null ? null : Refusal(e, verb);
        if (Interlocked.Exchange(ref _refused, refused) != refused)
        {
            RefusedChanged?.Invoke(refused);
        }
    }

    private string Refusal(KubernetesApiException e, string? verb)
    {
        var lease = $"Lease {options.Namespace}/{options.Name}";
        return e.Code switch
        {
            System.Net.HttpStatusCode.Forbidden =>
                $"{verb} {lease} is forbidden to this identity ({e.Message}); grant get, create and update on leases (coordination.k8s.io) in namespace {options.Namespace}, as the Role `dorisctl install` writes does",
            System.Net.HttpStatusCode.Unauthorized =>
                $"{verb} {lease}: the API server does not accept these credentials ({e.Message}); check the kubeconfig's user or the pod's service account token",
            System.Net.HttpStatusCode.NotFound when verb == "create" =>
                $"cannot create {lease}: namespace {options.Namespace} does not exist ({e.Message}); create it, or pass --lease-namespace with one that does",
            _ => $"{verb} {lease} answered {(int)e.Code} {e.Reason}: {e.Message}",
        };
    }

    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(options.RetryPeriod);
        try
        {
            var current = await leases.GetAsync(options.Namespace, options.Name, timeout.Token).ConfigureAwait(false);
            if (current.Spec?.HolderIdentity == options.Identity)
            {
                await leases.ReplaceAsync(current with { Spec = current.Spec with { HolderIdentity = string.Empty, LeaseDurationSeconds = 1 } }, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is KubernetesApiException or OperationCanceledException)
        {
            // best effort: the lease expires on its own
        }
    }

    private LeaseSpec Spec(DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        HolderIdentity = options.Identity,
        LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };
}
