using Doris.Cli.Input;
using System.CommandLine;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Operator;
using Microsoft.Extensions.Logging;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl operator</c>: run the operator against a cluster (kubeconfig, or the pod's service account).</summary>
internal static class OperatorCommand
{
    public static Command Create(CliConsole console)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config; in a pod: the service account)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use instead of current-context." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Watch only this namespace (default: all)." };
        var leaseNamespace = new Option<string>("--lease-namespace") { Description = "Namespace of the leader-election Lease.", DefaultValueFactory = _ => "doris-system" };
        var probePort = new Option<int?>("--probe-port") { Description = "Serve /healthz, /readyz and /metrics on this port." };
        var probeAddress = new Option<string>("--probe-address") { Description = "Address to serve probes on: 127.0.0.1, or 0.0.0.0 in a pod.", DefaultValueFactory = _ => "127.0.0.1" };
        var workers = new Option<int>("--workers") { Description = "Concurrent reconciles (one per cluster at a time).", DefaultValueFactory = _ => 4 };
        var logFormat = new Option<string>("--log-format") { Description = "json (one object per line, for log collectors) or text.", DefaultValueFactory = _ => "json" };
        logFormat.AcceptOnlyFromAmong("json", "text");
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Least severe level to log: Debug adds one line per reconcile.", DefaultValueFactory = _ => LogLevel.Information };
        var qps = new Option<double>("--kube-api-qps") { Description = "Sustained API requests per second (client-side rate limit).", DefaultValueFactory = _ => 50 };
        var burst = new Option<int>("--kube-api-burst") { Description = "Short bursts above --kube-api-qps.", DefaultValueFactory = _ => 100 };
        var resync = GoDuration.Option("--resync-period", "Reconcile every cluster at least this often, so a missed event is never permanent.", TimeSpan.FromMinutes(10));
        var watchBound = GoDuration.Option("--watch-health-bound", "/readyz fails once the leader has gone this long without a working watch on any resource.", TimeSpan.FromSeconds(60));
        var stuckBound = GoDuration.Option("--stuck-reconcile-bound", "/healthz fails while one reconcile has run longer than this (the kubelet then restarts the pod).", TimeSpan.FromMinutes(5));
        var command = new Command("operator", "Run the DorisCluster operator until interrupted.") { kubeconfig, context, ns, leaseNamespace, probePort, probeAddress, workers, logFormat, logLevel, qps, burst, resync, watchBound, stuckBound };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ClusterConnection connection;
            // The JSON contracts the leader needs are built on the other core while this one reads the kubeconfig and
            // waits on the API server (StartupWarmup says why; bench/RESULTS.md measures it).
            _ = Operator.Runtime.StartupWarmup.Start();
            try
            {
                var explicitPath = parse.GetValue(kubeconfig);
                var inPod = explicitPath is null && Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null;
                connection = inPod
                    ? InClusterConfig.Load(Environment.GetEnvironmentVariable, TimeProvider.System)
                    : KubeConfigLoader.Load(KubeConfigLoader.Locate(explicitPath, Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), parse.GetValue(context), TimeProvider.System);
            }
            catch (KubeConfigException e)
            {
                throw new CliException(ExitCodes.Unreadable, e.Message);
            }

            // The first handshake's one-time work (OpenSSL, the machine's certificate stores) on the other core while
            // this one sets up the client and the probes (TlsWarmup says why).
            _ = Doris.Kubernetes.Client.Http.TlsWarmup.Start(connection);

            using var logging = Operator.Runtime.LineLoggerProvider.CreateFactory(
                Console.Out, parse.GetValue(logFormat) == "json" ? Operator.Runtime.LineLogFormat.Json : Operator.Runtime.LineLogFormat.Text, parse.GetValue(logLevel), TimeProvider.System);
            if (parse.GetValue(qps) <= 0 || parse.GetValue(burst) < 1)
            {
                throw new CliException(ExitCodes.Usage, $"--kube-api-qps must be above 0 and --kube-api-burst at least 1 (got {parse.GetValue(qps)} and {parse.GetValue(burst)})");
            }

            foreach (var (name, value) in new[] { ("--resync-period", resync.From(parse)), ("--watch-health-bound", watchBound.From(parse)), ("--stuck-reconcile-bound", stuckBound.From(parse)) })
            {
                if (value <= TimeSpan.Zero)
                {
                    throw new CliException(ExitCodes.Usage, $"{name} must be above zero (got {value}); for example {name} 00:10:00");
                }
            }

            using var client = new KubernetesClient(connection, new Doris.Kubernetes.Client.Http.ClientOptions { Qps = parse.GetValue(qps), Burst = parse.GetValue(burst) });
            var host = new OperatorHost(client, new OperatorOptions
            {
                MemoryTrim = new Operator.Runtime.MemoryTrimPolicy(),
                WatchNamespace = parse.GetValue(ns),
                LeaseNamespace = parse.GetValue(leaseNamespace)!,
                ProbePort = parse.GetValue(probePort),
                ProbeAddress = System.Net.IPAddress.TryParse(parse.GetValue(probeAddress), out var address) ? address : throw new CliException(ExitCodes.Usage, $"--probe-address '{parse.GetValue(probeAddress)}' is not an IP address; use 127.0.0.1 or 0.0.0.0"),
                Workers = parse.GetValue(workers),
                Logging = logging,
                ResyncPeriod = resync.From(parse),
                WatchHealthBound = watchBound.From(parse),
                StuckReconcileBound = stuckBound.From(parse),
            }, TimeProvider.System);
            console.Out.WriteLine($"operator connecting to {connection.Server} (context {connection.ContextName}); watching {parse.GetValue(ns) ?? "all namespaces"}");
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            console.Out.WriteLine("operator stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
