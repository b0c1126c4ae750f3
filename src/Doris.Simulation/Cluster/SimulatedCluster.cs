using System.Globalization;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>
/// Everything in a Kubernetes cluster except the API server: nodes, the scheduler, the StatefulSet controller and
/// the kubelets, stepping together against the emulator's storage on a <see cref="TimeProvider"/>. Each step is
/// level-based (it reads the state and moves it one notch), so steps can be run on a timer or one by one in tests.
/// </summary>
public sealed class SimulatedCluster(ObjectStore store, TimeProvider time, SimulationTimings? timings = null)
{
    private readonly TypedStore _store = new(store);
    private readonly SimulationTimings _timings = timings ?? new SimulationTimings();
    private int _ipCounter = 10 * 65536 + 256;

    public TypedStore Store => _store;

    /// <summary>The Doris processes in the pods: membership, tablets, and an FE that answers SQL.</summary>
    public Processes.DorisWorld Doris { get; } = new(store);

    public long Steps { get; private set; }

    /// <summary>The planned fleet's autoscaler (cluster-autoscaler or Karpenter); none for a fixed fleet.</summary>
    public NodeAutoscaler? Autoscaler { get; set; }

    /// <summary>Registers the nodes (Ready, with EKS labels, allocatable a little below capacity as on EKS).</summary>
    public void AddNodes(IEnumerable<NodeShape> shapes)
    {
        foreach (var shape in shapes)
        {
            var i = ++_nodesAdded;
            var capacity = new Dictionary<string, Quantity>(StringComparer.Ordinal)
            {
                ["cpu"] = shape.Cpu.ToString(CultureInfo.InvariantCulture),
                ["memory"] = $"{shape.MemoryGi}Gi",
                ["pods"] = shape.MaxPods.ToString(CultureInfo.InvariantCulture),
            };
            var allocatable = new Dictionary<string, Quantity>(StringComparer.Ordinal)
            {
                ["cpu"] = $"{shape.AllocatableCpuMilli ?? ((shape.Cpu * 1000) - 90)}m",
                ["memory"] = $"{shape.AllocatableMemoryMib ?? ((shape.MemoryGi * 1024) - 1024)}Mi",
                ["pods"] = shape.MaxPods.ToString(CultureInfo.InvariantCulture),
            };
            _store.Create(TypedStore.Nodes, TypedStore.NodeInfo, null, new Node
            {
                ApiVersion = "v1",
                Kind = "Node",
                Metadata = new ObjectMeta { Name = shape.Name, Labels = shape.Labels() },
                Spec = new NodeSpec { Taints = shape.Taints.Count > 0 ? shape.Taints : null, ProviderID = $"aws:///{shape.Zone}/i-{i:x12}" },
            });
            var node = _store.Find(TypedStore.Nodes, TypedStore.NodeInfo, null, shape.Name)!;
            _store.TryUpdate(TypedStore.Nodes, TypedStore.NodeInfo, node with
            {
                Status = new NodeStatus
                {
                    Capacity = capacity,
                    Allocatable = allocatable,
                    Addresses = [new NodeAddress { Type = "InternalIP", Address = $"10.0.{i / 250}.{(i % 250) + 2}" }, new NodeAddress { Type = "Hostname", Address = shape.Name }],
                    Conditions = [new NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status", LastTransitionTime = time.GetUtcNow(), LastHeartbeatTime = time.GetUtcNow() }],
                    NodeInfo = new NodeSystemInfo { KubeletVersion = "v1.34.0-eks", OsImage = "Amazon Linux 2023", ContainerRuntimeVersion = "containerd://1.7.27", Architecture = "amd64", OperatingSystem = "linux", KernelVersion = "6.1.0", MachineID = string.Empty, SystemUUID = string.Empty, BootID = string.Empty, KubeProxyVersion = string.Empty },
                },
            }, status: true);
        }
    }

    private int _nodesAdded;

    private readonly Dictionary<string, DateTimeOffset> _terminations = new(StringComparer.Ordinal);

    /// <summary>Spot interruptions announced and not yet carried out, with the instant EC2 takes the node.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> PendingTerminations => _terminations;

    /// <summary>Marks a node unschedulable, as <c>kubectl cordon</c> does.</summary>
    public void Cordon(string node) => Mutate(node, n => n with { Spec = (n.Spec ?? new NodeSpec()) with { Unschedulable = true } });

    /// <summary>
    /// A Spot interruption as the AWS node termination handler reports it: the node is tainted
    /// <c>aws-node-termination-handler/spot-itn</c> and cordoned now, and EC2 reclaims it after <paramref name="notice"/>
    /// (two minutes): its pods are gone at once, without their grace period, and the node object is removed.
    /// </summary>
    public void InterruptSpot(string node, TimeSpan? notice = null)
    {
        Mutate(node, n => n with
        {
            Spec = (n.Spec ?? new NodeSpec()) with
            {
                Unschedulable = true,
                Taints = [.. n.Spec?.Taints ?? [], new Taint { Key = "aws-node-termination-handler/spot-itn", Value = "spot-itn", Effect = "NoSchedule", TimeAdded = time.GetUtcNow() }],
            },
        });
        _terminations[node] = time.GetUtcNow() + (notice ?? TimeSpan.FromMinutes(2));
    }

    private readonly KarpenterDisruption _karpenter = new();

    /// <summary>The API server's registry, so the simulated HPA can find a custom resource's scale subresource.</summary>
    public Kubernetes.Emulator.Registry.ResourceRegistry? Registry { get; init; }

    /// <summary>
    /// The HorizontalPodAutoscaler acting on a metric recommendation: clamped to its range and written through the
    /// target's scale subresource. Returns the replicas written.
    /// </summary>
    public int Autoscale(string ns, string hpa, int recommended) =>
        HorizontalAutoscaler.Scale(store, Registry ?? throw new InvalidOperationException("the simulated HPA needs the API server's registry"), ns, hpa, recommended);

    /// <summary>Evictions Karpenter made and how many were refused by a PodDisruptionBudget.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Pod)> KarpenterEvictions => _karpenter.Evicted;

    public int KarpenterEvictionsBlocked => _karpenter.Blocked;

    /// <summary>
    /// Karpenter recycles the nodes at once (drift or expiry): the replacements are launched, the nodes tainted
    /// <c>karpenter.sh/disrupted</c>, and their pods evicted as their PodDisruptionBudgets allow.
    /// </summary>
    public void Recycle(IEnumerable<string> nodes, IEnumerable<NodeShape> replacements)
    {
        AddNodes(replacements);
        var list = nodes.ToList();
        foreach (var node in list)
        {
            Mutate(node, n => n with
            {
                Spec = (n.Spec ?? new NodeSpec()) with { Taints = [.. n.Spec?.Taints ?? [], new Taint { Key = "karpenter.sh/disrupted", Effect = "NoSchedule", TimeAdded = time.GetUtcNow() }] },
            });
        }

        _karpenter.Add(list);
    }

    /// <summary>
    /// A Spot rebalance recommendation as the node termination handler reports it: the node is tainted
    /// <c>aws-node-termination-handler/rebalance-recommendation</c> (an interruption may follow, or not).
    /// </summary>
    public void RecommendRebalance(string node) => Mutate(node, n => n with
    {
        Spec = (n.Spec ?? new NodeSpec()) with
        {
            Taints = [.. n.Spec?.Taints ?? [], new Taint { Key = "aws-node-termination-handler/rebalance-recommendation", Value = "rebalance", Effect = "NoSchedule", TimeAdded = time.GetUtcNow() }],
        },
    });

    private void Mutate(string name, Func<Node, Node> change)
    {
        var node = _store.Find(TypedStore.Nodes, TypedStore.NodeInfo, null, name) ?? throw new ArgumentException($"no node {name}", nameof(name));
        _store.TryUpdate(TypedStore.Nodes, TypedStore.NodeInfo, change(node));
    }

    private void CarryOutTerminations(DateTimeOffset now)
    {
        foreach (var (node, at) in _terminations.Where(t => t.Value <= now).ToList())
        {
            foreach (var pod in _store.List(TypedStore.Pods, TypedStore.PodInfo).Where(p => p.Spec?.NodeName == node))
            {
                _store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with { Metadata = pod.Metadata! with { Finalizers = [] } });
                _store.TryDelete(TypedStore.Pods, pod.Metadata!.Namespace, pod.Metadata.Name!);
            }

            _store.TryDelete(TypedStore.Nodes, null, node);
            _terminations.Remove(node);
        }
    }

    /// <summary>One pass of every controller: StatefulSets, then the scheduler, then the kubelets.</summary>
    public void Step()
    {
        var now = time.GetUtcNow();
        CarryOutTerminations(now);
        var pods = _store.List(TypedStore.Pods, TypedStore.PodInfo);
        var byOwner = pods.SelectMany(p => (p.Metadata?.OwnerReferences ?? []).Where(o => o.Controller == true).Select(o => (o.Uid!, Pod: p))).ToLookup(x => x.Item1, x => x.Pod, StringComparer.Ordinal);
        foreach (var sts in _store.List(TypedStore.StatefulSets, TypedStore.StatefulSetInfo))
        {
            StatefulSetController.Step(_store, sts, byOwner, now);
        }

        VolumeResizer.Step(_store);

        Autoscaler?.Admit(this, now);
        pods = _store.List(TypedStore.Pods, TypedStore.PodInfo);
        var nodes = _store.List(TypedStore.Nodes, TypedStore.NodeInfo);
        if (Scheduler.Step(_store, nodes, pods, now) > 0)
        {
            pods = _store.List(TypedStore.Pods, TypedStore.PodInfo);
        }

        if (Autoscaler is { } autoscaler)
        {
            autoscaler.Step(_store, nodes, _store.List(TypedStore.Pods, TypedStore.PodInfo), now);
            nodes = _store.List(TypedStore.Nodes, TypedStore.NodeInfo);
        }

        Kubelet.Step(_store, nodes.ToDictionary(n => n.Metadata!.Name!, StringComparer.Ordinal), pods, _timings, now, ref _ipCounter, Doris.StartRefusal);
        var budgets = Budgets();
        _karpenter.Step(_store, budgets, now);
        DisruptionBudgets.WriteStatus(_store, budgets);
        Doris.Step(_store.List(TypedStore.Pods, TypedStore.PodInfo), now);
        Steps++;
    }

    private (long Pods, long Sets, long Budgets, IReadOnlyList<DisruptionBudgets.Budget> Value) _budgets = (-1, -1, -1, []);

    // Budgets are a function of pods, StatefulSets and PDBs only: computed again when one of those kinds was written.
    private IReadOnlyList<DisruptionBudgets.Budget> Budgets()
    {
        var raw = _store.Raw;
        var (pods, sets, pdbs) = (raw.LastChange(TypedStore.Pods), raw.LastChange(TypedStore.StatefulSets), raw.LastChange(TypedStore.Budgets));
        if (_budgets.Pods != pods || _budgets.Sets != sets || _budgets.Budgets != pdbs)
        {
            _budgets = (pods, sets, pdbs, DisruptionBudgets.Compute(_store, _store.List(TypedStore.Pods, TypedStore.PodInfo)));
        }

        return _budgets.Value;
    }

    /// <summary>Steps on every tick of the clock until cancelled.</summary>
    public async Task RunAsync(TimeSpan tick, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Step();
            try
            {
                await Task.Delay(tick, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
