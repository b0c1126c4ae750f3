using Doris.Api;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

internal static class ServiceBuilder
{
    /// <summary>The access Service clients and other components use (<c>&lt;c&gt;-&lt;x&gt;-service</c>); brokers have none.</summary>
    public static Service External(ComponentContext c)
    {
        var export = c.Spec.Service;
        var type = string.IsNullOrEmpty(export?.Type) ? "ClusterIP" : export.Type;
        var ports = ComponentPorts.For(c.Component, c.Config).Select(p => new ServicePort
        {
            Name = p.Name,
            Port = p.Port,
            TargetPort = p.Port,
            NodePort = export?.ServicePorts?.FirstOrDefault(sp => sp.TargetPort == p.Port)?.NodePort is > 0 and var np ? np : null,
        });
        var labels = DorisLabels.Owner(c.Name, c.Component, DorisLabels.ServiceRole, "access");
        return new Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new ObjectMeta
            {
                Name = DorisNames.ExternalService(c.Name, c.Component),
                Namespace = c.Namespace,
                Labels = labels,
                Annotations = export?.Annotations is { Count: > 0 } a ? a : null,
                OwnerReferences = c.Owners,
            },
            Spec = new ServiceSpec
            {
                Type = type,
                Selector = DorisLabels.Selector(c.Name, c.Component),
                Ports = [.. ports],

                // Keeps a MySQL client's session on one FE; a load balancer does its own balancing.
                SessionAffinity = type == "LoadBalancer" ? "None" : "ClientIP",
                LoadBalancerIP = type == "LoadBalancer" && !string.IsNullOrEmpty(export?.LoadBalancerIp) ? export.LoadBalancerIp : null,
            },
        };
    }

    /// <summary>The headless Service behind pod DNS names; it publishes pods before they are ready so members can find each other while joining.</summary>
    public static Service Internal(ComponentContext c)
    {
        var (name, port) = ComponentPorts.Internal(c.Component, c.Config);
        var labels = DorisLabels.Owner(c.Name, c.Component, DorisLabels.ServiceRole, "internal");
        return new Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new ObjectMeta
            {
                Name = DorisNames.InternalService(c.Name, c.Component),
                Namespace = c.Namespace,
                Labels = labels,
                OwnerReferences = c.Owners,
            },
            Spec = new ServiceSpec
            {
                ClusterIP = "None",
                Selector = DorisLabels.Selector(c.Name, c.Component),
                Ports = [new ServicePort { Name = name, Port = port, TargetPort = port }],
                PublishNotReadyAddresses = true,
            },
        };
    }
}
