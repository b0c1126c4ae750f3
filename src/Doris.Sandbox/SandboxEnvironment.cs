using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator;
using Doris.Operator.Cluster;
using Doris.Operator.Runtime;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox;

/// <summary>
/// A whole Kubernetes cluster in one process: the emulated API server with the DorisCluster CRD installed, the
/// simulated nodes, scheduler, StatefulSet controller and kubelets, and operator replicas that can be started and
/// killed. Used by <c>dorisctl sandbox</c>, the scenario tests and the benchmarks.
/// </summary>
public sealed class SandboxEnvironment : IAsyncDisposable
{
    private readonly List<OperatorRun> _operators = [];

    private SandboxEnvironment(EmulatorServer server, KubernetesClient client, SimulatedCluster cluster, SandboxOptions options)
    {
        Server = server;
        Client = client;
        Cluster = cluster;
        Options = options;
    }

    public EmulatorServer Server { get; }

    public KubernetesClient Client { get; }

    public SimulatedCluster Cluster { get; }

    public SandboxOptions Options { get; }

    /// <summary>Operator replicas started so far (running or stopped).</summary>
    public IReadOnlyList<OperatorRun> Operators => _operators;

    public ResourceClient<DorisCluster> Clusters => Client.For(DorisClusterResource.Descriptor, DorisApiJsonContext.Default.DorisCluster);

    public ResourceClient<Doris.Api.Disaggregated.DorisDisaggregatedCluster> DisaggregatedClusters =>
        Client.For(Doris.Operator.Disaggregated.DisaggregatedResource.Descriptor, DorisApiJsonContext.Default.DorisDisaggregatedCluster);

    public static async Task<SandboxEnvironment> StartAsync(SandboxOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = options.Port, Tls = options.Tls, InitialNamespaces = [.. EmulatorOptions.SystemNamespaces, "doris-system"] }, options.Time, cancellationToken).ConfigureAwait(false);
        var client = new KubernetesClient(KubeConfigLoader.Parse(server.Kubeconfig(), "sandbox", null, TimeProvider.System), options.Client, TimeProvider.System);
        var crds = client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition);
        await crds.CreateAsync(DorisClusterCrd.Build(), cancellationToken).ConfigureAwait(false);
        await crds.CreateAsync(DorisDisaggregatedClusterCrd.Build(), cancellationToken).ConfigureAwait(false);
        var cluster = new SimulatedCluster(server.Store, options.Time, options.Timings) { Registry = server.Registry };
        if (options.Fleet is { } fleet)
        {
            cluster.Autoscaler = new NodeAutoscaler(fleet);
            cluster.AddNodes(cluster.Autoscaler.InitialNodes());
        }
        else
        {
            cluster.AddNodes(options.Nodes);
        }

        // The default StorageClass an EKS cluster planned by dorisctl has: encrypted gp3 that can grow in place.
        cluster.Store.Create(TypedStore.StorageClasses, KubernetesJsonContext.Default.StorageClass, null, new StorageClass
        {
            ApiVersion = "storage.k8s.io/v1",
            Kind = "StorageClass",
            Metadata = new ObjectMeta { Name = "gp3", Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } },
            Provisioner = "ebs.csi.aws.com",
            Parameters = new Dictionary<string, string> { ["type"] = "gp3", ["encrypted"] = "true" },
            AllowVolumeExpansion = true,
            VolumeBindingMode = "WaitForFirstConsumer",
            ReclaimPolicy = "Delete",
        });
        server.PortTargets = cluster.Doris.PortTarget; // kubectl port-forward to an FE's query port reaches the simulated FE
        return new SandboxEnvironment(server, client, cluster, options);
    }

    /// <summary>Starts one operator replica (with its own client, as a separate pod would have).</summary>
    public OperatorRun StartOperator(string identity = "sandbox-operator", OperatorOptions? options = null)
    {
        var client = new KubernetesClient(KubeConfigLoader.Parse(Server.Kubeconfig(), "sandbox", null, TimeProvider.System), Options.Client, TimeProvider.System);
        var host = new OperatorHost(client, (options ?? new OperatorOptions()) with
        {
            Identity = identity,
            FrontendEndpoint = (cluster, _) => ("127.0.0.1", Cluster.Doris.FrontendPort(cluster.Metadata!.Namespace ?? "default", cluster.Metadata.Name!)),
            DisaggregatedFrontendEndpoint = (cluster, _) => ("127.0.0.1", Cluster.Doris.DisaggregatedFrontendPort(cluster.Metadata!.Namespace ?? "default", cluster.Metadata.Name!)),
            Election = new LeaderElectionOptions("doris-system", "dorisctl-operator", identity),
        }, Options.Time);
        var run = new OperatorRun(host, client);
        _operators.Add(run);
        return run;
    }

    /// <summary>Creates the namespace unless it exists (as <c>kubectl create namespace</c> would, once).</summary>
    public async Task EnsureNamespaceAsync(string ns, CancellationToken cancellationToken = default)
    {
        var namespaces = Client.For(ResourceDescriptor.Namespaces, KubernetesJsonContext.Default.Namespace);
        await CreateOrIgnoreAsync(() => namespaces.CreateAsync(new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = ns } }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Creates the namespace, the ConfigMaps (replacing older ones) and the cluster (or updates its spec).</summary>
    public async Task<DorisCluster> ApplyAsync(DorisCluster cluster, IEnumerable<ConfigMap> configMaps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var ns = cluster.Metadata!.Namespace ?? "default";
        await EnsureNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        await ApplyConfigMapsAsync(configMaps, ns, cancellationToken).ConfigureAwait(false);

        try
        {
            return await Clusters.CreateAsync(cluster with { Metadata = cluster.Metadata with { Namespace = ns } }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            var live = await Clusters.GetAsync(ns, cluster.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            return await Clusters.ReplaceAsync(live with { Spec = cluster.Spec, Metadata = live.Metadata! with { Annotations = cluster.Metadata.Annotations ?? live.Metadata.Annotations } }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyConfigMapsAsync(IEnumerable<ConfigMap> configMaps, string ns, CancellationToken cancellationToken)
    {
        var maps = Client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);
        foreach (var cm in configMaps)
        {
            var withNs = cm with { Metadata = cm.Metadata! with { Namespace = cm.Metadata.Namespace ?? ns } };
            try
            {
                await maps.CreateAsync(withNs, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists)
            {
                var live = await maps.GetAsync(withNs.Metadata.Namespace, withNs.Metadata.Name!, cancellationToken).ConfigureAwait(false);
                await maps.ReplaceAsync(withNs with { Metadata = withNs.Metadata with { ResourceVersion = live.Metadata!.ResourceVersion } }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates the namespace, the ConfigMaps (replacing older ones) and the storage-compute cluster (or updates its spec).</summary>
    public async Task<Doris.Api.Disaggregated.DorisDisaggregatedCluster> ApplyAsync(Doris.Api.Disaggregated.DorisDisaggregatedCluster cluster, IEnumerable<ConfigMap> configMaps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var ns = cluster.Metadata!.Namespace ?? "default";
        await EnsureNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        await ApplyConfigMapsAsync(configMaps, ns, cancellationToken).ConfigureAwait(false);
        try
        {
            return await DisaggregatedClusters.CreateAsync(cluster with { Metadata = cluster.Metadata with { Namespace = ns } }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            var live = await DisaggregatedClusters.GetAsync(ns, cluster.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            return await DisaggregatedClusters.ReplaceAsync(live with { Spec = cluster.Spec, Metadata = live.Metadata! with { Annotations = cluster.Metadata.Annotations ?? live.Metadata.Annotations } }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Steps the simulated cluster on its own clock (for the system clock: a live sandbox).</summary>
    public Task RunClusterAsync(CancellationToken cancellationToken) => Cluster.RunAsync(Options.Tick, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _operators)
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }

        Client.Dispose();
        await Cluster.Doris.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CreateOrIgnoreAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
        }
    }
}
