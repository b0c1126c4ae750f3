namespace Doris.Operator.Runtime;

/// <summary>What one informer can say about itself, for /readyz and /metrics (no type parameter, so a host can hold a list).</summary>
public interface IInformerHealth
{
    /// <summary>The resource's plural (<c>dorisclusters</c>), the label in metrics.</summary>
    string Resource { get; }

    bool HasSynced { get; }

    /// <summary>A list or watch request is in flight (real I/O rather than a wait on the clock).</summary>
    bool Busy { get; }

    /// <summary>What it is doing now (watching, backing off after an error...), for /readyz and diagnostics.</summary>
    string State { get; }

    /// <summary>Objects held in the cache.</summary>
    int Count { get; }

    /// <summary>How long the informer has gone without a working watch (zero while one is open).</summary>
    TimeSpan WithoutWatch(DateTimeOffset now);

    /// <summary>When the last list, event or bookmark arrived; null before the first.</summary>
    DateTimeOffset? LastEventAt { get; }

    /// <summary>Watches that ended and were started again, by why they ended (closed, expired, broken, error, not-served...).</summary>
    IReadOnlyDictionary<string, long> WatchRestarts { get; }

    /// <summary>Objects that failed to decode, counted once per version seen.</summary>
    long DecodeFailures { get; }

    /// <summary>Objects left out of the cache right now because they do not decode.</summary>
    IReadOnlyCollection<Doris.Kubernetes.Client.UndecodableObject> Undecodable { get; }
}
