using System.CommandLine;
using System.Text.Json;
using Doris.Cli.Status;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl status &lt;cluster&gt;</c>: a DorisCluster whole, as Kubernetes and the FE see it (the FE through the
/// API server like kubectl port-forward, or at <c>--fe-host</c>), in one read-only command. Exit 0 whenever the cluster could be read (Ready or not: the report says which).
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("cluster") { Description = "The DorisCluster's name (kubectl get dcr)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Its namespace (default: the kubeconfig context's, else default)." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use instead of current-context." };
        var feHost = new Option<string?>("--fe-host") { Description = "Read the FE's view (frontends, backends, tablets) over SQL at this address instead of through the API server (which forwards to a Running FE pod's query port as kubectl port-forward does). Credentials and TLS are the operator's: spec.authSecret or adminUser, fe.conf." };
        var noFe = new Option<bool>("--no-fe") { Description = "Do not read the FE's view; show only what the API server knows." };
        var queryPort = new Option<int>("--query-port") { Description = "The FE's MySQL-protocol port at --fe-host (through the API server, fe.conf's query_port is used).", DefaultValueFactory = _ => 9030 };
        var output = CommonOptions.Output("text", "text", "json");
        var command = new Command("status", "Show a DorisCluster: conditions, components, pods (node, zone, Spot or on-demand, revision), the FE's members and tablets, disruption budgets, drains and recent warnings.")
        {
            name, ns, kubeconfig, context, feHost, queryPort, noFe, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(noFe) && parse.GetValue(feHost) is { Length: > 0 })
            {
                throw new CliException(ExitCodes.Usage, "--no-fe and --fe-host contradict each other; give one (--fe-host reads the FE at that address, --no-fe skips it)");
            }

            if (parse.GetValue(queryPort) is < 1 or > 65535)
            {
                throw new CliException(ExitCodes.Usage, $"--query-port {parse.GetValue(queryPort)} is not a port; give 1-65535 (the FE's query_port, 9030 by default)");
            }

            ClusterConnection connection;
            try
            {
                connection = KubeConfigLoader.Load(KubeConfigLoader.Locate(parse.GetValue(kubeconfig), Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), parse.GetValue(context), TimeProvider.System);
            }
            catch (KubeConfigException e)
            {
                throw new CliException(ExitCodes.Unreadable, e.Message);
            }

            using var client = new KubernetesClient(connection, null, TimeProvider.System);
            var target = parse.GetValue(noFe) ? FrontendRoute.Off
                : parse.GetValue(feHost) is { Length: > 0 } host ? new FrontendRoute(FrontendRouteKind.Direct, host, parse.GetValue(queryPort)) : FrontendRoute.Forward;
            ClusterSnapshot snapshot;
            try
            {
                snapshot = await StatusCollector.CollectAsync(client, parse.GetValue(ns) ?? connection.Namespace, parse.GetValue(name)!, target, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (Kubernetes.Client.Errors.KubernetesApiException e)
            {
                throw new CliException(ExitCodes.Unreadable, $"cannot read the cluster from {connection.Server}: {e.Message}");
            }
            catch (HttpRequestException e)
            {
                throw new CliException(ExitCodes.Unreadable, $"cannot reach the API server {connection.Server}: {e.Message}; check the kubeconfig context (--context) and the network");
            }

            var report = StatusReportBuilder.Build(snapshot);
            if (parse.GetValue(output) == "json")
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, StatusJsonContext.Default.StatusReport)).ConfigureAwait(false);
            }
            else
            {
                StatusText.Write(console.Out, report, snapshot.Now);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
