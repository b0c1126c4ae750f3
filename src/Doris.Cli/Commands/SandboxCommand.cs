using System.CommandLine;
using System.Security.Cryptography;
using Doris.Api.Validation;
using Doris.Cli.Input;
using Doris.Cli.Output;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl sandbox</c>: the API server, a simulated EKS cluster and the operator in one process; applies a
/// manifest (the production example by default), shows progress until the cluster is Ready, then a summary, and
/// keeps running with a kubeconfig for kubectl. <c>--until-ready</c> makes it a script step with an exit code.
/// </summary>
internal static class SandboxCommand
{
    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files();
        var example = CommonOptions.Example();
        var port = new Option<int>("--port") { Description = "Loopback port for the API server (0 picks a free one)." };
        var kubeconfig = new Option<string>("--kubeconfig-out") { Description = "Where to write the kubeconfig for kubectl.", DefaultValueFactory = _ => "dorisctl-sandbox.kubeconfig" };
        var untilReady = new Option<bool>("--until-ready") { Description = "Exit 0 once the cluster is Ready, non-zero with the reason if it is not within --timeout." };
        var timeout = GoDuration.Option("--timeout", "How long --until-ready waits.", TimeSpan.FromMinutes(5));
        var scenario = new Option<string?>("--scenario")
        {
            Description = "Run a scripted scenario instead of a manifest: scale-in (5 BEs with data scaled to 3 through decommission), " +
                          "spot (random Spot interruptions on simulated time; CNs drained before the kill), " +
                          "spot-compute-groups (the same on a DorisDisaggregatedCluster: its Spot compute group's members drained before the kill).",
        };
        scenario.AcceptOnlyFromAmong(ScaleInScenario.Name, SpotScenario.Name, SandboxSpotScenario.ComputeGroupsName);
        var interruptions = new Option<int>("--interruptions") { Description = "With --scenario spot: how many Spot interruptions (over 10 simulated minutes each).", DefaultValueFactory = _ => 6 };
        var placement = new Option<string?>("--placement") { Description = "The placement snippet dorisctl eks plan writes (doris-placement.yaml), merged into the cluster before it is applied." };
        var seed = new Option<int?>("--seed") { Description = "With --scenario spot: the seed of the interruptions, rebalance recommendations and Spot shortages (the same seed replays the same run)." };
        var handover = new Option<bool>("--handover")
        {
            Description = "Start from the StatefulSets and Services given with -f (what another operator such as apache/doris-operator left running: " +
                          "kubectl get sts,svc -o yaml), bring their pods up, then hand them to dorisctl's operator and report what restarted and that every claim was kept.",
        };
        var fleet = new Option<string?>("--fleet")
        {
            Description = "An EKS blueprint (kind: EksBlueprint): the simulated cluster starts from the node groups it plans (real instance types, zones, labels, taints, " +
                          "minimum sizes) and a simulated cluster-autoscaler or Karpenter adds and removes nodes as pods need them; a fleet report ends the run.",
        };
        var output = CommonOptions.Output("text", "text", "json");
        output.Description = "text: progress and tables; json: progress on stderr and, on stdout, one JSON document with the pods and the fleet what-if (also when not Ready).";
        var untilDone = new Option<bool>("--until-done") { Description = "With --scenario: exit 0 when it completed with every invariant held, non-zero otherwise." };
        var command = new Command("sandbox", "Run a DorisCluster on a simulated EKS cluster with the operator, in one process (no cloud needed).")
        {
            files, example, port, kubeconfig, untilReady, timeout, scenario, untilDone, interruptions, handover, fleet, seed, placement, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(output) == "json";
            var stdout = console.Out;
            // With -o json stdout carries only the document; everything said along the way goes to stderr.
            var io = json ? console with { Out = console.Error } : console;
            if (json && parse.GetValue(scenario) is { } named)
            {
                throw new CliException(ExitCodes.Usage, $"-o json: --scenario {named} reports as text; drop -o json, or run a manifest (-f or --example) to get the JSON report");
            }

            if (parse.GetValue(scenario) is SpotScenario.Name or SandboxSpotScenario.ComputeGroupsName)
            {
                return await SandboxSpotScenario.RunAsync(parse.GetValue(port), parse.GetValue(kubeconfig)!, parse.GetValue(interruptions), parse.GetValue(untilDone), io, cancellationToken,
                    parse.GetValue(seed), parse.GetValue(fleet) is { } spotFleet ? Fleet(spotFleet, io).Groups : null, parse.GetValue(scenario) == SandboxSpotScenario.ComputeGroupsName).ConfigureAwait(false);
            }

            if (parse.GetValue(scenario) is not null)
            {
                return await RunScenarioAsync(parse.GetValue(port), parse.GetValue(kubeconfig)!, timeout.From(parse), parse.GetValue(untilDone), io, cancellationToken).ConfigureAwait(false);
            }

            var fileList = parse.GetValue(files) ?? [];
            var inputs = ManifestInputs.Load(fileList, parse.GetValue(example) ?? (fileList.Length == 0 ? "production" : null), io.In, readsDisaggregated: true);
            if (!inputs.HasErrors && inputs.Clusters.Count == 0 && inputs.DisaggregatedClusters.Count == 1)
            {
                if (parse.GetValue(handover) || parse.GetValue(placement) is not null || parse.GetValue(fleet) is not null || json)
                {
                    throw new CliException(ExitCodes.Usage, "a DorisDisaggregatedCluster runs on the default simulated fleet with text output: drop --handover, --placement, --fleet and -o json");
                }

                return await SandboxDisaggregated.RunAsync(inputs, parse.GetValue(port), parse.GetValue(kubeconfig)!, timeout.From(parse), parse.GetValue(untilReady), io, cancellationToken).ConfigureAwait(false);
            }

            if (inputs.HasErrors || inputs.Clusters.Count != 1)
            {
                IssueReporter.Write(io.Error, inputs.AllIssues.ToList(), OutputFormat.Text);
                throw new CliException(ExitCodes.Invalid, inputs.HasErrors
                    ? "the manifest is invalid; fix the errors above (dorisctl validate shows them too)"
                    : $"the sandbox runs exactly one DorisCluster or DorisDisaggregatedCluster; the input has {inputs.Clusters.Count} and {inputs.DisaggregatedClusters.Count}");
            }

            var cluster = inputs.Clusters[0].Cluster!;
            if (parse.GetValue(placement) is { } placementFile)
            {
                cluster = PlacementMerge.Apply(cluster, placementFile);
            }

            var ns = cluster.Metadata!.Namespace ?? "default";
            cluster = cluster with { Metadata = cluster.Metadata with { Namespace = ns } };
            var handingOver = parse.GetValue(handover);
            if (handingOver)
            {
                SandboxHandover.CheckInputs(inputs);
            }

            var (planned, network) = parse.GetValue(fleet) is { } blueprint ? Fleet(blueprint, io) : (null, null);
            await using var env = await StartAsync(parse.GetValue(port), cancellationToken, fleet: planned).ConfigureAwait(false);
            var path = parse.GetValue(kubeconfig)!;
            await Output.PrivateFile.WriteAsync(path, env.Server.Kubeconfig(), cancellationToken).ConfigureAwait(false);
            io.Out.WriteLine(planned is null
                ? $"sandbox API server at {env.Server.Address}; {env.Options.Nodes.Count} simulated nodes; kubeconfig: {path}"
                : $"sandbox API server at {env.Server.Address}; the planned fleet: {planned.Count} node group(s) starting with {env.Cluster.Store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node).Count} node(s), {(planned.Any(g => g.Karpenter) ? "Karpenter" : "cluster-autoscaler")} adds the rest; kubeconfig: {path}");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var simulation = env.RunClusterAsync(stop.Token);
            // With --handover the operator starts only once the previous operator's objects are up.
            await using var op = handingOver ? null : env.StartOperator();
            // The cluster's namespace first: the Secrets it mounts are created in it before the cluster is applied.
            await env.EnsureNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
            await ApplySecretsAsync(env, inputs.Secrets, ns, io, cancellationToken).ConfigureAwait(false);
            await CreateSecretsAsync(env, cluster, ns, io, cancellationToken).ConfigureAwait(false);
            var applied = await env.ApplyAsync(cluster, inputs.ConfigMaps.Values.Where(c => (c.Metadata?.Namespace ?? ns) == ns), cancellationToken).ConfigureAwait(false);
            var before = handingOver ? await SandboxHandover.StartFromAsync(env, inputs, applied, timeout.From(parse), io, cancellationToken).ConfigureAwait(false) : null;
            await using var handoverOperator = handingOver ? env.StartOperator() : null;
            io.Out.WriteLine($"applied DorisCluster {ns}/{cluster.Metadata.Name}{(handingOver ? "; dorisctl's operator takes over now" : string.Empty)}; watching until Ready");

            var ready = await WatchProgressAsync(env, ns, cluster.Metadata.Name!, timeout.From(parse), parse.GetValue(untilReady), io, cancellationToken).ConfigureAwait(false);
            var live = await env.Clusters.GetAsync(ns, cluster.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            if (!ready)
            {
                var pods = env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, ns);
                var why = SandboxReport.WhyNotReady(live, pods);
                io.Error.WriteLine(why);
                var whatIf = WhatIf(env, live, network);
                if (whatIf is not null)
                {
                    io.Error.WriteLine(FleetReport.Text(whatIf));
                }

                if (json)
                {
                    stdout.WriteLine(SandboxJson.Document(live, env.Cluster.Store, ready: false, why, whatIf));
                }

                await stop.CancelAsync().ConfigureAwait(false);
                await simulation.ConfigureAwait(false);
                throw new CliException(ExitCodes.NotReady, $"DorisCluster {ns}/{cluster.Metadata.Name} was not Ready within {GoDuration.Format(timeout.From(parse))}");
            }

            if (before is not null)
            {
                try
                {
                    await SandboxHandover.FinishAsync(env, ns, before, timeout.From(parse), io, cancellationToken).ConfigureAwait(false);
                }
                catch (CliException)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await simulation.ConfigureAwait(false);
                    throw;
                }
            }

            io.Out.WriteLine();
            io.Out.Write(SandboxReport.Summary(live, env.Cluster.Store));
            var report = WhatIf(env, live, network);
            if (report is not null)
            {
                io.Out.WriteLine();
                io.Out.Write(FleetReport.Text(report));
            }

            if (json)
            {
                stdout.WriteLine(SandboxJson.Document(live, env.Cluster.Store, ready: true, null, report));
            }

            if (!parse.GetValue(untilReady))
            {
                // The FE's MySQL port, reached the way a user reaches a real cluster's.
                var fe = Doris.Api.Naming.DorisNames.StatefulSet(cluster.Metadata.Name!, Doris.Api.DorisComponent.Fe) + "-0";
                io.Out.WriteLine();
                io.Out.WriteLine($"query the simulated FE: kubectl --kubeconfig {path} port-forward -n {ns} pod/{fe} 9030:9030, then mysql -h127.0.0.1 -P9030 -uroot");
            }

            await FinishAsync(keepRunning: !parse.GetValue(untilReady), path, stop, simulation, io, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> RunScenarioAsync(int port, string kubeconfig, TimeSpan timeout, bool untilDone, CliConsole console, CancellationToken cancellationToken)
    {
        await using var env = await StartAsync(port, cancellationToken).ConfigureAwait(false);
        await Output.PrivateFile.WriteAsync(kubeconfig, env.Server.Kubeconfig(), cancellationToken).ConfigureAwait(false);
        console.Out.WriteLine($"sandbox API server at {env.Server.Address}; kubeconfig: {kubeconfig}; scenario: {ScaleInScenario.Name}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var simulation = env.RunClusterAsync(stop.Token);
        await using var op = env.StartOperator();
        var started = DateTimeOffset.UtcNow;
        var result = await ScaleInScenario.RunAsync(env, line => console.Out.WriteLine($"[{(DateTimeOffset.UtcNow - started).TotalSeconds,5:0.0}s] {line}"), timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Completed)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await simulation.ConfigureAwait(false);
            throw new CliException(ExitCodes.NotReady, $"scenario {ScaleInScenario.Name} failed after {result.Took.TotalSeconds:0.0}s: {result.Violation}");
        }

        console.Out.WriteLine($"scenario {ScaleInScenario.Name} completed in {result.Took.TotalSeconds:0.0}s with every invariant held (no tablet lost, no BE removed before it was empty)");
        console.Out.WriteLine();
        console.Out.Write(SandboxReport.Summary(await env.Clusters.GetAsync("default", "scale-in", cancellationToken).ConfigureAwait(false), env.Cluster.Store));
        await FinishAsync(keepRunning: !untilDone, kubeconfig, stop, simulation, console, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Interactive runs keep the sandbox up for kubectl until Ctrl+C; script runs stop at once. Either way the simulation stops cleanly.</summary>
    internal static async Task FinishAsync(bool keepRunning, string kubeconfig, CancellationTokenSource stop, Task simulation, CliConsole console, CancellationToken cancellationToken, string kind = "dcr")
    {
        if (keepRunning)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"the sandbox keeps running; try: kubectl --kubeconfig {kubeconfig} get {kind},sts,pods -A   (Ctrl+C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await simulation.ConfigureAwait(false);
    }

    private static FleetWhatIf? WhatIf(SandboxEnvironment env, Api.V1.DorisCluster live, FleetNetwork? network) =>
        env.Cluster.Autoscaler is { } autoscaler ? FleetWhatIf.Measure(autoscaler, env.Cluster.Store, live.Spec?.CnSpec?.AutoScalingPolicy?.MaxReplicas, network) : null;

    // The node groups a blueprint plans and its address plan, or a usage error naming what is wrong with it.
    internal static (IReadOnlyList<NodeGroupShape> Groups, FleetNetwork Network) Fleet(string path, CliConsole console)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Unreadable, $"--fleet {path}: {e.Message}");
        }

        (Eks.Blueprints.Blueprint Blueprint, Eks.Planning.EksPlan Plan)? read;
        try
        {
            read = EksPlanCommand.Plan(path, text, Eks.Instances.InstanceCatalog.Default, console);
        }
        catch (CliException e)
        {
            throw new CliException(e.ExitCode, $"--fleet {e.Message}");
        }

        var planned = read
            ?? throw new CliException(ExitCodes.Invalid, $"--fleet {path}: the blueprint is invalid (errors above); dorisctl eks plan -f {path} shows the same");
        return (PlannedFleet.From(planned.Blueprint, planned.Plan), PlannedFleet.Network(planned.Blueprint, planned.Plan));
    }

    internal static async Task<SandboxEnvironment> StartAsync(int port, CancellationToken cancellationToken, TimeProvider? time = null, IReadOnlyList<NodeGroupShape>? fleet = null)
    {
        try
        {
            return await SandboxEnvironment.StartAsync(new SandboxOptions { Port = port, Time = time ?? TimeProvider.System, Fleet = fleet }, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.Unreadable, $"cannot listen on port {port}: {e.Message}; choose another with --port");
        }
    }

    /// <summary>
    /// The authSecret a manifest names is normally created by the user beforehand; the sandbox makes one with a
    /// random password so an example runs as written, and says so. The password is never printed.
    /// </summary>
    // The Secrets given with -f, before the cluster that mounts them (their data is never printed).
    internal static async Task ApplySecretsAsync(SandboxEnvironment env, IReadOnlyList<Secret> given, string ns, CliConsole console, CancellationToken cancellationToken)
    {
        var secrets = env.Client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret);
        foreach (var secret in given)
        {
            var target = secret with { Metadata = secret.Metadata! with { Namespace = secret.Metadata.Namespace ?? ns, ResourceVersion = null, Uid = null } };
            await env.EnsureNamespaceAsync(target.Metadata!.Namespace!, cancellationToken).ConfigureAwait(false);
            await secrets.CreateAsync(target, cancellationToken).ConfigureAwait(false);
            console.Out.WriteLine($"applied Secret {target.Metadata.Namespace}/{target.Metadata.Name} from the input");
        }
    }

    private static async Task CreateSecretsAsync(SandboxEnvironment env, Api.V1.DorisCluster cluster, string ns, CliConsole console, CancellationToken cancellationToken)
    {
        if (cluster.Spec?.AuthSecret is not { Length: > 0 } name)
        {
            return;
        }

        var secrets = env.Client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret);
        try
        {
            await secrets.CreateAsync(new Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Type = "kubernetes.io/basic-auth",
                Metadata = new ObjectMeta { Name = name, Namespace = ns },
                StringData = new Dictionary<string, string> { ["username"] = "root", ["password"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) },
            }, cancellationToken).ConfigureAwait(false);
            console.Out.WriteLine($"created Secret {ns}/{name} (basic-auth, random password) because spec.authSecret names it");
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
        }
    }

    private static async Task<bool> WatchProgressAsync(SandboxEnvironment env, string ns, string name, TimeSpan timeout, bool untilReady, CliConsole console, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var last = string.Empty;
        while (!cancellationToken.IsCancellationRequested)
        {
            var live = await env.Clusters.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            var pods = env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, ns);
            var line = SandboxReport.Progress(live, pods);
            if (line != last)
            {
                console.Out.WriteLine($"[{(DateTimeOffset.UtcNow - started).TotalSeconds,5:0.0}s] {line}");
                last = line;
            }

            if (live.Status?.ObservedGeneration == live.Metadata!.Generation && live.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                return true;
            }

            if (untilReady && DateTimeOffset.UtcNow - started > timeout)
            {
                return false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }
}
