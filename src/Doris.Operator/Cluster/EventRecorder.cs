using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Writes core/v1 Events about a cluster so <c>kubectl describe dcr</c> shows what happened and what to do. The
/// same event (object, type, reason, message) said again is one Event whose count grows, as the kubelet's and
/// client-go's are ("x4 over 20m"), not a new Event each time. Its name is derived from what it says, so this
/// holds across operator restarts and leader changes without listing Events.
/// </summary>
public sealed class EventRecorder(ResourceClient<Event> events, TimeProvider time)
{
    public const string Component = "dorisctl-operator";

    // Counts this process has written, by Event name: a repeat is then one PATCH with no read before it.
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public async Task RecordAsync(IKubernetesObject about, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(about);
        var meta = about.Metadata!;
        var name = Name(meta, type, reason, message);
        try
        {
            if (_counts.TryGetValue(name, out var known) && await CountAsync(meta.Namespace, name, known + 1, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var now = time.GetUtcNow();
            try
            {
                await events.CreateAsync(new Event
                {
                    ApiVersion = "v1",
                    Kind = "Event",
                    Metadata = new ObjectMeta { Name = name, Namespace = meta.Namespace },
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
                Remember(name, 1);
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists)
            {
                // Written by an earlier process (a restart, another leader): continue its count.
                var live = await events.GetAsync(meta.Namespace, name, cancellationToken).ConfigureAwait(false);
                await CountAsync(meta.Namespace, name, (live.Count ?? 1) + 1, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KubernetesApiException)
        {
            // An event that cannot be written must not fail the reconcile that reports it.
        }
    }

    /// <summary>Raises an existing Event's count; false when it is gone (Events expire, an hour by default).</summary>
    private async Task<bool> CountAsync(string? ns, string name, int count, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        try
        {
            await events.PatchAsync(ns, name, PatchType.Merge, $$"""{"count":{{count}},"lastTimestamp":"{{at}}"}""", cancellationToken: cancellationToken).ConfigureAwait(false);
            Remember(name, count);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            _counts.TryRemove(name, out _);
            return false;
        }
    }

    private void Remember(string name, int count)
    {
        if (_counts.Count > 10_000)
        {
            _counts.Clear(); // a bound, not a cache policy: a forgotten count costs one GET on the next repeat
        }

        _counts[name] = count;
    }

    /// <summary>The object's name and a digest of what the Event says (uid included: a re-created cluster starts afresh).</summary>
    internal static string Name(ObjectMeta about, string type, string reason, string message)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{about.Uid}\n{type}\n{reason}\n{message}"));
        return $"{about.Name}.{Convert.ToHexStringLower(digest.AsSpan(0, 8))}";
    }
}
