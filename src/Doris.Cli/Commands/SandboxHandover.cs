using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.V1;
using Doris.Cli.Adoption;
using Doris.Cli.Input;
using Doris.Cli.Output;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl sandbox --handover</c>: the sandbox starts from the StatefulSets and Services another operator left
/// running (given with -f, as <c>kubectl get sts,svc -o yaml</c> prints them, or written the way upstream renders
/// them), brings their pods up with no operator running, shows what <c>dorisctl adopt</c> would change, then starts
/// dorisctl's operator and reports what the handover did: which pods restarted, and whether every claim was kept.
/// </summary>
internal static class SandboxHandover
{
    /// <summary>The pods and claims (name to uid) before the operator started.</summary>
    internal sealed record Before(IReadOnlyDictionary<string, string> Pods, IReadOnlyDictionary<string, string> Claims);

    /// <summary>Refuses, before anything starts, a handover with nothing to hand over.</summary>
    public static void CheckInputs(LoadedInputs inputs)
    {
        if (inputs.StatefulSets.Count == 0)
        {
            throw new CliException(ExitCodes.Invalid, "--handover starts from the StatefulSets another operator left running, and the input has none: add them with -f (kubectl get sts,svc -n <namespace> -o yaml > live.yaml)");
        }
    }

    public static async Task<Before> StartFromAsync(SandboxEnvironment env, LoadedInputs inputs, DorisCluster applied, TimeSpan timeout, CliConsole console, CancellationToken cancellationToken)
    {
        var ns = applied.Metadata!.Namespace!;

        var services = env.Client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service);
        foreach (var service in inputs.Services)
        {
            var clean = Clean(service, applied);
            if (clean["spec"] is JsonObject spec && (string?)spec["clusterIP"] != "None")
            {
                spec.Remove("clusterIP"); // allocated by the API server; the dump's address is not ours to reuse
                spec.Remove("clusterIPs");
            }

            await services.CreateAsync(clean.Deserialize(KubernetesJsonContext.Default.Service)!, cancellationToken).ConfigureAwait(false);
        }

        var sets = env.Client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        foreach (var set in inputs.StatefulSets)
        {
            await sets.CreateAsync(Clean(set, applied).Deserialize(KubernetesJsonContext.Default.StatefulSet)!, cancellationToken).ConfigureAwait(false);
        }

        console.Out.WriteLine($"applied {inputs.StatefulSets.Count} StatefulSet(s) and {inputs.Services.Count} Service(s) as the previous operator left them; no operator runs yet, waiting for their pods");
        if (!await WaitAsync(() => Settled(env, ns, inputs.StatefulSets.Select(s => (string?)s["metadata"]?["name"] ?? string.Empty)), timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new CliException(ExitCodes.NotReady, $"the given StatefulSets did not come up within {timeout}; check them with kubectl get pods (the sandbox keeps no operator running until they do)");
        }

        console.Out.WriteLine("their pods are up; what dorisctl's operator will change (dorisctl adopt):");
        var desired = DesiredClusterBuilder.Build(applied, inputs.ConfigMaps).Objects.OfType<StatefulSet>();
        var live = Sets(env, ns).ToDictionary(s => s.Metadata!.Name!, s => JsonSerializer.SerializeToNode(s, KubernetesJsonContext.Default.StatefulSet)!.AsObject(), StringComparer.Ordinal);
        AdoptCommand.Print(console.Out, [.. desired.Select(d => TemplateComparison.Compare(d, live.GetValueOrDefault(d.Metadata!.Name!)))]);
        return new Before(Pods(env, ns), Claims(env, ns));
    }

    /// <summary>Waits for the operator's rollout to settle, then says what the handover restarted and kept; a lost claim fails.</summary>
    public static async Task FinishAsync(SandboxEnvironment env, string ns, Before before, TimeSpan timeout, CliConsole console, CancellationToken cancellationToken)
    {
        var names = Sets(env, ns).Select(s => s.Metadata!.Name!).ToList();
        if (!await WaitAsync(() => Settled(env, ns, names), timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new CliException(ExitCodes.NotReady, $"the handover's rollout did not finish within {timeout}");
        }

        var pods = Pods(env, ns);
        console.Out.WriteLine();
        foreach (var set in names)
        {
            var members = before.Pods.Keys.Where(p => p.StartsWith(set + "-", StringComparison.Ordinal)).ToList();
            var restarted = members.Count(p => pods.GetValueOrDefault(p) != before.Pods[p]);
            console.Out.WriteLine($"handover: StatefulSet {set}: {restarted} of {members.Count} pod(s) restarted");
        }

        var claims = Claims(env, ns);
        var lost = before.Claims.Where(c => claims.GetValueOrDefault(c.Key) != c.Value).Select(c => c.Key).ToList();
        if (lost.Count > 0)
        {
            throw new CliException(ExitCodes.NotReady, $"the handover lost claim(s) {string.Join(", ", lost)}: deleted or re-created, so their data is gone");
        }

        console.Out.WriteLine($"handover: every claim kept ({before.Claims.Count} of {before.Claims.Count}, same uids)");
    }

    // As kubectl prints it, minus what the API server assigns; owned by the applied cluster as upstream owns it.
    private static JsonObject Clean(JsonObject given, DorisCluster applied)
    {
        var obj = given.DeepClone().AsObject();
        obj.Remove("status");
        var meta = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = meta;
        foreach (var key in new[] { "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp" })
        {
            meta.Remove(key);
        }

        meta["namespace"] = applied.Metadata!.Namespace;
        meta["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "doris.selectdb.com/v1", ["kind"] = "DorisCluster", ["name"] = applied.Metadata.Name, ["uid"] = applied.Metadata.Uid });
        return obj;
    }

    private static IReadOnlyList<StatefulSet> Sets(SandboxEnvironment env, string ns) =>
        env.Cluster.Store.List(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, ns);

    // Each named set exists, has rolled out its current template, and has all its pods Ready.
    private static bool Settled(SandboxEnvironment env, string ns, IEnumerable<string> names)
    {
        var sets = Sets(env, ns).ToDictionary(s => s.Metadata!.Name!, StringComparer.Ordinal);
        return names.All(n => sets.TryGetValue(n, out var s) && s.Status?.UpdateRevision is { } revision && s.Status.CurrentRevision == revision
            && s.Status.UpdatedReplicas == s.Spec!.Replicas && s.Status.ReadyReplicas == s.Spec.Replicas);
    }

    private static Dictionary<string, string> Pods(SandboxEnvironment env, string ns) =>
        env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, ns).Where(p => p.Metadata!.DeletionTimestamp is null)
            .ToDictionary(p => p.Metadata!.Name!, p => p.Metadata!.Uid!, StringComparer.Ordinal);

    private static Dictionary<string, string> Claims(SandboxEnvironment env, string ns) =>
        env.Cluster.Store.List(TypedStore.Claims, KubernetesJsonContext.Default.PersistentVolumeClaim, ns).Where(c => c.Metadata!.DeletionTimestamp is null)
            .ToDictionary(c => c.Metadata!.Name!, c => c.Metadata!.Uid!, StringComparer.Ordinal);

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
