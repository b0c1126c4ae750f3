namespace Doris.Operator.Runtime;

/// <summary>Brings one object's world to its desired state. Throwing means "retry with back-off".</summary>
public interface IReconciler<in TKey>
{
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);
}
