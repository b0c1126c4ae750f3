using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>Writes core/v1 Events about a cluster so <c>kubectl describe dcr</c> shows what happened and what to do.</summary>
public sealed class EventRecorder(ResourceClient<Event> events, TimeProvider time)
{
    public const string Component = "dorisctl-operator";

    public async Task RecordAsync(IKubernetesObject about, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(about);
        var now = time.GetUtcNow();
        var meta = about.Metadata!;
        try
        {
            await events.CreateAsync(new Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new ObjectMeta { GenerateName = meta.Name + ".", Namespace = meta.Namespace },
                InvolvedObject = new ObjectReference { ApiVersion = about.ApiVersion, Kind = about.Kind, Name = meta.Name, Namespace = meta.Namespace, Uid = meta.Uid, ResourceVersion = meta.ResourceVersion },
                Type = type,
                Reason = reason,
                Message = message,
                Source = new EventSource { Component = Component },
                ReportingComponent = Component,
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException)
        {
            // An event that cannot be written must not fail the reconcile that reports it.
        }
    }
}
