using Doris.Api;
using Doris.Api.Config;

namespace Doris.Desired;

/// <summary>The named ports each component listens on, read from its config with Doris's defaults.</summary>
internal static class ComponentPorts
{
    public static IReadOnlyList<(string Name, int Port)> For(DorisComponent component, ComponentConfig config)
    {
        List<(string, int)> ports = component switch
        {
            DorisComponent.Fe => [("http-port", config.HttpPort), ("rpc-port", config.RpcPort), ("query-port", config.QueryPort), ("edit-log-port", config.EditLogPort)],
            DorisComponent.Broker => [("broker-ipc-port", config.BrokerIpcPort)],
            _ => [("be-port", config.BePort), ("webserver-port", config.WebServerPort), ("heartbeat-port", config.HeartbeatPort), ("brpc-port", config.BrpcPort)],
        };
        if (component != DorisComponent.Broker && config.ArrowFlightPort is { } arrow)
        {
            ports.Add(("arrow-flight", arrow));
        }

        return ports;
    }

    /// <summary>The port the headless Service publishes and the TCP probes check.</summary>
    public static (string Name, int Port) Internal(DorisComponent component, ComponentConfig config) => component switch
    {
        DorisComponent.Fe => ("query-port", config.QueryPort),
        DorisComponent.Broker => ("broker-ipc-port", config.BrokerIpcPort),
        _ => ("heartbeat-port", config.HeartbeatPort),
    };

    /// <summary>The HTTP port serving <c>/api/health</c>.</summary>
    public static int Health(DorisComponent component, ComponentConfig config) =>
        component == DorisComponent.Fe ? config.HttpPort : config.WebServerPort;
}
