using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>
/// One open watch: which objects it wants and the queue of events for it. The queue is bounded as kube-apiserver's
/// is: a watcher that lets <paramref name="buffer"/> events pile up unread is cut off (its stream ends cleanly and
/// the client re-lists), so a client that never reads cannot grow the server without end.
/// </summary>
internal sealed class Watcher(ResourceType type, string? ns, LabelSelector labels, int buffer = 1000, Func<JsonObject, bool>? fields = null)
{
    /// <summary>In the selection: the label selector and the field selector both match.</summary>
    public bool Selects(JsonObject obj) => labels.Matches(ObjectStore.Labels(obj)) && (fields is null || fields(obj));

    public ResourceType Type => type;

    /// <summary>Events queued before the watch began (the initial list); they do not count against the buffer.</summary>
    public int Initial { get; set; }

    /// <summary>True once the watcher fell too far behind and was closed.</summary>
    public bool CutOff { get; private set; }

    public Channel<StoredEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<StoredEvent>(); // the multi-reader form: only it can count what is queued

    public bool Wants(ResourceType t, string? eventNs) => t == type && (ns is null || ns == eventNs);

    /// <summary>
    /// Label and field selectors turn a modification into ADDED or DELETED when an object enters or leaves the
    /// selection, as the real watch cache does; events for objects outside the selection are not sent.
    /// </summary>
    public void Offer(StoredEvent e, JsonObject? previous)
    {
        if (!Wants(e.Resource, e.Namespace))
        {
            return;
        }

        var now = Selects(e.Object);
        var before = previous is not null && Selects(previous);
        var type = e.Type switch
        {
            "MODIFIED" when now && !before => "ADDED",
            "MODIFIED" when !now && before => "DELETED",
            "MODIFIED" when !now => null,
            "ADDED" when !now => null,
            "DELETED" when !now && !before => null,
            _ => e.Type,
        };
        if (type is null || CutOff)
        {
            return;
        }

        if (Channel.Reader.Count >= buffer + Initial)
        {
            CutOff = true;
            Channel.Writer.TryComplete();
            return;
        }

        Channel.Writer.TryWrite(e with { Type = type });
    }

    public async IAsyncEnumerable<StoredEvent> ReadAsync(Action unsubscribe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in Channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            unsubscribe();
        }
    }
}
