using Doris.Api.Disaggregated;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// The Services of a DorisDisaggregatedCluster, as apache/doris-operator makes them: the meta service's
/// (<c>&lt;c&gt;-ms</c>, brpc), the FE's access Service (<c>&lt;c&gt;-fe</c>) and headless one
/// (<c>&lt;c&gt;-fe-internal</c>, query port), and for each compute group a headless Service
/// (<c>&lt;c&gt;-&lt;id&gt;</c>, heartbeat port) and an access one (<c>&lt;c&gt;-&lt;id&gt;-external</c>). Ports come from
/// each component's configuration; a NodePort Service takes node ports from <c>service.portMaps</c>.
/// </summary>
public static class DisaggregatedServiceBuilder
{
    public static IReadOnlyList<Service> Build(DorisDisaggregatedCluster cluster, DisaggregatedConfigs configs)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(configs);
        var name = cluster.Metadata!.Name!;
        var ns = cluster.Metadata.Namespace;
        var owners = DisaggregatedPodParts.Owners(cluster);
        var spec = cluster.Spec!;
        var services = new List<Service>();
        if (spec.MetaService is { } ms)
        {
            var port = configs.MetaService.BrpcListenPort;
            // Upstream replaces the default Service spec here, so the meta service has no session affinity.
            services.Add(Access(DisaggregatedNames.MetaServiceStatefulSet(name), ns, owners, DisaggregatedLabels.Component(name, "ms"), DisaggregatedLabels.ComponentPods(name, "ms"), ms.Service, [("brpc-port", port)], affinity: false));
        }

        if (spec.FeSpec is { } fe)
        {
            var c = configs.Fe;
            services.Add(Access(DisaggregatedNames.FrontendStatefulSet(name), ns, owners, DisaggregatedLabels.Component(name, "fe"), DisaggregatedLabels.ComponentPods(name, "fe"), fe.Service,
                [("http-port", c.HttpPort), ("rpc-port", c.RpcPort), ("query-port", c.QueryPort), ("edit-log-port", c.EditLogPort), .. Arrow(c.ArrowFlightPort)], affinity: true));
            var internalLabels = DisaggregatedLabels.Component(name, "fe");
            internalLabels[DisaggregatedLabels.ServiceRole] = "internal";
            services.Add(Headless(name + "-fe-internal", ns, owners, internalLabels, DisaggregatedLabels.ComponentPods(name, "fe"), ("query-port", c.QueryPort)));
        }

        foreach (var group in (spec.ComputeGroups ?? []).Where(g => g.UniqueId is { Length: > 0 }))
        {
            var c = configs.For(group);
            var serviceName = DisaggregatedNames.ComputeGroupStatefulSet(name, group.UniqueId!);
            var internalLabels = DisaggregatedLabels.ComputeGroupObjects(name, group.UniqueId!);
            internalLabels[DisaggregatedLabels.ServiceRole] = "internal";
            services.Add(Headless(serviceName, ns, owners, internalLabels, DisaggregatedLabels.ComputeGroupPods(name, group.UniqueId!), ("heartbeat-port", c.HeartbeatPort)));
            services.Add(Access(serviceName + "-external", ns, owners, DisaggregatedLabels.ComputeGroupObjects(name, group.UniqueId!), DisaggregatedLabels.ComputeGroupPods(name, group.UniqueId!), group.Service,
                [("be-port", c.BePort), ("webserver-port", c.WebServerPort), ("heartbeat-port", c.HeartbeatPort), ("brpc-port", c.BrpcPort), .. Arrow(c.ArrowFlightPort)], affinity: true));
        }

        return services;
    }

    private static (string, int)[] Arrow(int? port) => port is { } p ? [("arrow-flight", p)] : [];

    private static Service Access(string name, string? ns, OwnerReference[]? owners, Dictionary<string, string> labels, Dictionary<string, string> selector, DisaggregatedService? export, (string Name, int Port)[] ports, bool affinity)
    {
        var type = string.IsNullOrEmpty(export?.Type) ? null : export.Type;
        return new Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels, Annotations = export?.Annotations is { Count: > 0 } a ? a : null, OwnerReferences = owners },
            Spec = new ServiceSpec
            {
                Type = type,
                Selector = selector,
                Ports = [.. ports.Select(p => new ServicePort
                {
                    Name = p.Name,
                    Port = p.Port,
                    TargetPort = p.Port,
                    NodePort = type == "NodePort" && export!.PortMaps?.LastOrDefault(m => m.TargetPort == p.Port)?.NodePort is > 0 and var np ? np : null,
                })],
                SessionAffinity = type == "LoadBalancer" ? "None" : affinity ? "ClientIP" : null,
            },
        };
    }

    private static Service Headless(string name, string? ns, OwnerReference[]? owners, Dictionary<string, string> labels, Dictionary<string, string> selector, (string Name, int Port) port) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels, OwnerReferences = owners },
        Spec = new ServiceSpec
        {
            ClusterIP = "None",
            Ports = [new ServicePort { Name = port.Name, Port = port.Port, TargetPort = port.Port }],
            Selector = selector,
            PublishNotReadyAddresses = true,
        },
    };
}
