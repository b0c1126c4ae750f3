using System.Globalization;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>The claims a component's StatefulSet made (<c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>), listed by the set's selector.</summary>
internal static class ComponentClaims
{
    public static ResourceClient<PersistentVolumeClaim> Client(KubernetesClient client) =>
        client.For(ResourceDescriptor.PersistentVolumeClaims, KubernetesJsonContext.Default.PersistentVolumeClaim);

    public static async Task<IReadOnlyList<PersistentVolumeClaim>> ListAsync(KubernetesClient client, DorisCluster cluster, DorisComponent component, CancellationToken cancellationToken)
    {
        var selector = string.Join(',', DorisLabels.Selector(cluster.Metadata!.Name!, component).Select(kv => $"{kv.Key}={kv.Value}"));
        return (await Client(client).ListAsync(cluster.Metadata.Namespace, selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
    }

    /// <summary>The ordinal of <c>{prefix}-{n}</c>, or -1.</summary>
    public static int Ordinal(string name, string prefix) =>
        name.Length > prefix.Length + 1 && name.StartsWith(prefix + "-", StringComparison.Ordinal) &&
        int.TryParse(name.AsSpan(prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
