using System.CommandLine;
using Doris.Api.Validation;
using Doris.Cli.Input;
using Doris.Cli.Monitoring;
using Doris.Cli.Output;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl monitoring pod-monitor &lt;cluster&gt;</c> prints a Prometheus Operator PodMonitor for a DorisCluster's
/// FE, BE and CN metrics; <c>dorisctl monitoring dashboard</c> prints the operator's Grafana dashboard for import.
/// </summary>
internal static class MonitoringCommand
{
    public static Option<string[]> LabelOption() => new("--monitor-label")
    {
        Description = "A label key=value for the PodMonitor, so Prometheus selects it (kube-prometheus-stack selects release=<its release name>); repeat for more.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("monitoring", "Prometheus Operator PodMonitors and the Grafana dashboard for Doris and the operator.");
        command.Subcommands.Add(PodMonitor(console));
        command.Subcommands.Add(Dashboard(console));
        return command;
    }

    private static Command PodMonitor(CliConsole console)
    {
        var name = new Argument<string>("cluster") { Description = "The DorisCluster's name." };
        var ns = new Option<string>("--namespace", "-n") { Description = "The DorisCluster's namespace (the PodMonitor goes there too).", DefaultValueFactory = _ => "default" };
        var interval = new DurationOption("--interval", "How often Prometheus scrapes each pod.", TimeSpan.FromSeconds(30));
        var labels = LabelOption();
        var output = CommonOptions.Output("yaml", "yaml", "json");
        var command = new Command("pod-monitor", "Print a PodMonitor that scrapes a DorisCluster's FE (http-port) and BE/CN (webserver-port) at /metrics, labelled component and doris_cluster.")
        {
            name, ns, interval, labels, output,
        };
        command.SetAction(parse =>
        {
            var cluster = parse.GetValue(name)!;
            if (!KubernetesNames.IsDns1123Label(cluster))
            {
                throw new CliException(ExitCodes.Usage, $"cluster '{cluster}' is not a DorisCluster name; use lowercase letters, digits and '-'");
            }

            if (!KubernetesNames.IsDns1123Label(parse.GetValue(ns)!))
            {
                throw new CliException(ExitCodes.Usage, $"--namespace '{parse.GetValue(ns)}' is not a namespace name; use lowercase letters, digits and '-'");
            }

            var every = interval.From(parse);
            if (every < TimeSpan.FromSeconds(1) || every.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                throw new CliException(ExitCodes.Usage, $"--interval {GoDuration.Format(every)} is not a whole number of seconds of at least 1s; Prometheus scrapes at e.g. 15s, 30s or 1m");
            }

            var monitor = MonitoringManifests.ClusterPodMonitor(cluster, parse.GetValue(ns)!, GoDuration.Format(every), Labels(parse.GetValue(labels) ?? []));
            ObjectWriter.Write(console.Out, [monitor], CommonOptions.Format(parse.GetValue(output)!));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Dashboard(CliConsole console)
    {
        var command = new Command("dashboard", "Print the operator's Grafana dashboard (JSON) to import in Grafana; `install --monitoring` ships it as a ConfigMap.");
        command.SetAction(parse =>
        {
            console.Out.WriteLine(OperatorDashboard.Build().ToJsonString(OperatorDashboard.Indented));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>key=value pairs as Kubernetes label keys and values, or a usage error naming the bad one.</summary>
    public static IReadOnlyDictionary<string, string> Labels(IEnumerable<string> pairs)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = at < 0 ? (pair, string.Empty) : (pair[..at], pair[(at + 1)..]);
            if (at < 0 || !KubernetesNames.IsQualifiedName(key) || !KubernetesNames.IsLabelValue(value))
            {
                throw new CliException(ExitCodes.Usage, $"--monitor-label '{pair}' is not a label; give key=value, e.g. --monitor-label release=kube-prometheus-stack");
            }

            labels[key] = value;
        }

        return labels;
    }
}
