using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>One open watch: which objects it wants and the queue of events for it.</summary>
internal sealed class Watcher(ResourceType type, string? ns, LabelSelector labels)
{
    public ResourceType Type => type;

    public Channel<StoredEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });

    public bool Wants(ResourceType t, string? eventNs) => t == type && (ns is null || ns == eventNs);

    /// <summary>
    /// Label selectors turn a modification into ADDED or DELETED when an object enters or leaves the
    /// selection, as the real watch cache does; events for objects outside the selection are not sent.
    /// </summary>
    public void Offer(StoredEvent e, JsonObject? previous)
    {
        if (!Wants(e.Resource, e.Namespace))
        {
            return;
        }

        var now = labels.Matches(ObjectStore.Labels(e.Object));
        var before = previous is not null && labels.Matches(ObjectStore.Labels(previous));
        var type = e.Type switch
        {
            "MODIFIED" when now && !before => "ADDED",
            "MODIFIED" when !now && before => "DELETED",
            "MODIFIED" when !now => null,
            "ADDED" when !now => null,
            "DELETED" when !now && !before => null,
            _ => e.Type,
        };
        if (type is not null)
        {
            Channel.Writer.TryWrite(e with { Type = type });
        }
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
