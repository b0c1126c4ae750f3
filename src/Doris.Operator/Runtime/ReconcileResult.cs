namespace Doris.Operator.Runtime;

/// <summary>What a reconcile asks for next: nothing (the next change will trigger it), or another look after a delay.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    /// <summary>Another look after a delay, in the queue's urgent lane: a drain in progress must not wait behind ordinary work.</summary>
    public static ReconcileResult UrgentAfter(TimeSpan delay) => new(delay) { Urgent = true };

    public bool Urgent { get; init; }
}
