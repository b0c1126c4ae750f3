using System.CommandLine;
using Doris.Cli.Output;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl install</c>: the manifests that install the operator, for <c>kubectl apply -f -</c>.</summary>
internal static class InstallCommand
{
    public static Command Create(CliConsole console)
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace for the operator.", DefaultValueFactory = _ => "doris-system" };
        var image = new Option<string>("--image") { Description = "The dorisctl container image to run (built from this repository).", DefaultValueFactory = _ => "dorisctl:0.1.0" };
        var watch = new Option<string?>("--watch-namespace") { Description = "Confine the operator to one namespace: a Role there instead of a ClusterRole (reading nodes stays cluster-wide)." };
        var monitoring = new Option<bool>("--monitoring") { Description = "Also a Prometheus Operator PodMonitor for the operator's /metrics and its Grafana dashboard in a ConfigMap labelled grafana_dashboard: \"1\" (needs the monitoring.coreos.com CRDs)." };
        var monitorLabels = MonitoringCommand.LabelOption();
        var output = CommonOptions.Output("yaml", "yaml", "json");
        var command = new Command("install", "Print the CRD, namespace, ServiceAccount, least-privilege RBAC and Deployment of the operator.") { ns, image, watch, monitoring, monitorLabels, output };
        command.SetAction(parse =>
        {
            if (parse.GetValue(watch) is { } watched && !Doris.Api.Validation.KubernetesNames.IsDns1123Label(watched))
            {
                throw new CliException(ExitCodes.Usage, $"--watch-namespace '{watched}' is not a namespace name; use lowercase letters, digits and '-'");
            }

            var labels = MonitoringCommand.Labels(parse.GetValue(monitorLabels) ?? []);
            if (labels.Count > 0 && !parse.GetValue(monitoring))
            {
                throw new CliException(ExitCodes.Usage, "--monitor-label labels the PodMonitor that --monitoring adds; give --monitoring too");
            }

            List<System.Text.Json.Nodes.JsonNode> objects = [.. InstallManifests.Build(parse.GetValue(ns)!, parse.GetValue(image)!, parse.GetValue(watch)).Select(ObjectWriter.ToNode)];
            if (parse.GetValue(monitoring))
            {
                objects.Add(Monitoring.MonitoringManifests.OperatorPodMonitor(parse.GetValue(ns)!, labels));
                objects.Add(Monitoring.MonitoringManifests.DashboardConfigMap(parse.GetValue(ns)!));
            }

            ObjectWriter.Write(console.Out, objects, CommonOptions.Format(parse.GetValue(output)!));
            return ExitCodes.Success;
        });
        return command;
    }
}
