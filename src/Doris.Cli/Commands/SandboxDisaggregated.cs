using System.Globalization;
using System.Text;
using Doris.Api.Disaggregated;
using Doris.Cli.Input;
using Doris.Cli.Output;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl sandbox</c> for a DorisDisaggregatedCluster: the same simulated EKS cluster and operator, with a
/// simulated FE that knows compute groups; progress as the meta service, FE and each compute group come up, then
/// a summary. <c>--until-ready</c> makes it a script step with an exit code.
/// </summary>
internal static class SandboxDisaggregated
{
    public static async Task<int> RunAsync(LoadedInputs inputs, int port, string kubeconfig, TimeSpan timeout, bool untilReady, CliConsole io, CancellationToken cancellationToken)
    {
        var cluster = inputs.DisaggregatedClusters[0].Cluster!;
        var ns = cluster.Metadata!.Namespace ?? "default";
        var name = cluster.Metadata.Name!;
        cluster = cluster with { Metadata = cluster.Metadata with { Namespace = ns } };
        await using var env = await SandboxCommand.StartAsync(port, cancellationToken).ConfigureAwait(false);
        await PrivateFile.WriteAsync(kubeconfig, env.Server.Kubeconfig(), cancellationToken).ConfigureAwait(false);
        io.Out.WriteLine($"sandbox API server at {env.Server.Address}; {env.Options.Nodes.Count} simulated nodes; kubeconfig: {kubeconfig}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var simulation = env.RunClusterAsync(stop.Token);
        await using var op = env.StartOperator();
        await env.EnsureNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        await SandboxCommand.ApplySecretsAsync(env, inputs.Secrets, ns, io, cancellationToken).ConfigureAwait(false);
        await env.ApplyAsync(cluster, inputs.ConfigMaps.Values, cancellationToken).ConfigureAwait(false);
        io.Out.WriteLine($"applied DorisDisaggregatedCluster {ns}/{name}; watching until Ready");

        var started = DateTimeOffset.UtcNow;
        var last = string.Empty;
        DorisDisaggregatedCluster live;
        while (true)
        {
            live = await env.DisaggregatedClusters.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            var line = Progress(live);
            if (line != last)
            {
                io.Out.WriteLine($"[{(DateTimeOffset.UtcNow - started).TotalSeconds,5:0.0}s] {line}");
                last = line;
            }

            if (live.Status?.ObservedGeneration == live.Metadata!.Generation && live.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                break;
            }

            if (DateTimeOffset.UtcNow - started > timeout || cancellationToken.IsCancellationRequested)
            {
                io.Error.WriteLine(live.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Message ?? "no status written yet");
                await stop.CancelAsync().ConfigureAwait(false);
                await simulation.ConfigureAwait(false);
                throw new CliException(ExitCodes.NotReady, $"DorisDisaggregatedCluster {ns}/{name} was not Ready within {GoDuration.Format(timeout)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None).ConfigureAwait(false);
        }

        io.Out.WriteLine();
        io.Out.Write(Summary(live));
        await SandboxCommand.FinishAsync(keepRunning: !untilReady, kubeconfig, stop, simulation, io, cancellationToken, "ddc").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>One line: health, then each part's phase and ready pods (what kubectl get ddc shows, per group).</summary>
    internal static string Progress(DorisDisaggregatedCluster c)
    {
        var s = c.Status;
        if (s is null)
        {
            return "waiting for the operator's first status";
        }

        var groups = string.Join(", ", (s.ComputeGroupStatuses ?? []).Select(g => $"{g.UniqueId} {g.Phase} {g.AvailableReplicas}/{g.Replicas}"));
        return $"health {s.ClusterHealth?.Health ?? "-"}; meta service {s.MetaServiceStatus?.Phase ?? "-"}; FE {s.FeStatus?.Phase ?? "-"}; compute groups: {(groups.Length == 0 ? "none yet" : groups)}";
    }

    internal static string Summary(DorisDisaggregatedCluster c)
    {
        var s = c.Status!;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"DorisDisaggregatedCluster {c.Metadata!.Namespace}/{c.Metadata.Name} is Ready (health {s.ClusterHealth?.Health}, FE cluster id {s.FeStatus?.ClusterId})\n");
        text.Append("COMPUTE GROUP        PHASE       READY   DORIS ID\n");
        foreach (var g in s.ComputeGroupStatuses ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"{g.UniqueId,-20} {g.Phase,-11} {g.AvailableReplicas}/{g.Replicas,-5} {g.ComputeGroupId}\n");
        }

        return text.ToString();
    }
}
