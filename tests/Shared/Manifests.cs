namespace Doris.Testing;

/// <summary>Small manifests several test projects apply with kubectl.</summary>
internal static class Manifests
{
    /// <summary>A one-container StatefulSet named <c>web</c> (selector <c>app=web</c>), for workload semantics.</summary>
    public static string WebStatefulSet(string container = "web", string image = "nginx:1.27", int replicas = 1) => $$$"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          replicas: {{{replicas}}}
          serviceName: web
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: {{{container}}}, image: "{{{image}}}"}]
        """;
}
