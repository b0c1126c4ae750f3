namespace Doris.Operator.Runtime;

/// <summary>What a reconcile asks for next: nothing (the next change will trigger it), or another look after a delay.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
