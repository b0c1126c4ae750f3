using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>
/// What every node's kubelet does for the pods bound to it: start them (Pending, then Running after the start
/// delay), report them Ready once the readiness probe would pass, and on deletion run the preStop hook for at most
/// the grace period before letting the pod go. Doris's entrypoints add one rule: an FE other than the first, and
/// every BE, CN and broker, waits for a Ready FE of its cluster before it can register (as fe_entrypoint.sh and
/// be_entrypoint.sh do). A pod annotated with the debug run mode keeps running and never turns Ready.
/// </summary>
internal static class Kubelet
{
    public static void Step(TypedStore store, IReadOnlyDictionary<string, Node> nodes, IReadOnlyList<Pod> pods, SimulationTimings timings, DateTimeOffset now, ref int ipCounter, Func<Pod, DateTimeOffset, string?>? startRefusal = null)
    {
        var secrets = store.Names(TypedStore.Secrets);
        var configMaps = store.Names(TypedStore.ConfigMaps);
        var readyFe = pods.Where(p => PodFacts.IsReady(p) && Label(p, DorisLabels.Component) == "fe")
            .Select(p => (p.Metadata!.Namespace, Label(p, DorisLabels.Cluster))).ToHashSet();
        foreach (var pod in pods)
        {
            if (pod.Spec?.NodeName is not { } nodeName || !nodes.TryGetValue(nodeName, out var node))
            {
                if (PodFacts.IsTerminating(pod))
                {
                    // No kubelet will ever stop it: the API server deletes a pod that never got a node at once, and
                    // the pod garbage collector one whose node is gone.
                    Release(store, pod);
                }

                continue;
            }

            if (PodFacts.IsTerminating(pod))
            {
                Terminate(store, pod, timings, now);
                continue;
            }

            if (!PodFacts.IsNodeReady(node))
            {
                continue; // a lost node's kubelet reports nothing
            }

            var status = pod.Status ?? new PodStatus();
            if (MissingVolume(pod, secrets, configMaps) is { } missing)
            {
                // As a real kubelet: the pod waits in ContainerCreating (FailedMount) until the object appears.
                var waiting = status with
                {
                    Phase = "Pending",
                    Conditions = [new PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled")?.LastTransitionTime ?? now }, new PodCondition { Type = "Ready", Status = "False", Reason = "FailedMount", Message = missing, LastTransitionTime = status.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.LastTransitionTime ?? now }],
                    ContainerStatuses = [new ContainerStatus { Name = pod.Spec.Containers?.FirstOrDefault()?.Name ?? "main", Image = pod.Spec.Containers?.FirstOrDefault()?.Image, ImageID = string.Empty, Ready = false, RestartCount = 0, State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating", Message = missing } } }],
                };
                if (!SameStatus(status, waiting))
                {
                    store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with { Status = waiting }, status: true);
                }

                continue;
            }

            var started = status.StartTime ?? now;
            var running = now >= started + timings.Start;
            var runningSince = started + timings.Start;
            var gateOpen = FeGateOpen(pod, readyFe);
            var broken = pod.Spec.Containers?.Any(c => timings.BrokenImages.Contains(c.Image ?? string.Empty)) == true
                || (running && startRefusal?.Invoke(pod, now) is not null);
            var ready = running && now >= runningSince + timings.Ready && gateOpen && !broken && !InDebugMode(pod);
            var ip = status.PodIP ?? $"10.{(ipCounter / 65536) % 256}.{(ipCounter / 256) % 256}.{ipCounter++ % 256}";
            var condition = (string type, bool value) =>
            {
                var before = status.Conditions?.FirstOrDefault(c => c.Type == type);
                var text = value ? "True" : "False";
                return new PodCondition { Type = type, Status = text, LastTransitionTime = before?.Status == text ? before.LastTransitionTime : now };
            };
            var main = pod.Spec.Containers?.FirstOrDefault();
            var next = status with
            {
                Phase = running ? "Running" : "Pending",
                StartTime = started,
                HostIP = NodeIp(node),
                PodIP = ip,
                PodIPs = [new PodIP { Ip = ip }],
                Conditions =
                [
                    new PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "True")?.LastTransitionTime ?? now },
                    condition("Initialized", running),
                    condition("ContainersReady", ready),
                    condition("Ready", ready),
                ],
                ContainerStatuses =
                [
                    new ContainerStatus
                    {
                        Name = main?.Name ?? "main",
                        Image = main?.Image,
                        ImageID = main?.Image,
                        Ready = ready,
                        Started = running,
                        RestartCount = 0,
                        State = running
                            ? new ContainerState { Running = new ContainerStateRunning { StartedAt = runningSince } }
                            : new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } },
                    },
                ],
            };
            if (!SameStatus(status, next))
            {
                PrintTransitions(store, pod, status, next, nodeName, runningSince, now);
                store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with { Status = next }, status: true);
            }
        }
    }

    // What the simulated container prints (kubectl logs): its start and the moment it passes readiness.
    private static void PrintTransitions(TypedStore store, Pod pod, PodStatus before, PodStatus after, string nodeName, DateTimeOffset runningSince, DateTimeOffset now)
    {
        var main = pod.Spec!.Containers?.FirstOrDefault();
        if (main?.Name is not { } container)
        {
            return;
        }

        var wasRunning = before.ContainerStatuses?.FirstOrDefault()?.State?.Running is not null;
        var wasReady = before.ContainerStatuses?.FirstOrDefault()?.Ready == true;
        var state = after.ContainerStatuses![0];
        if (!wasRunning && state.State?.Running is not null)
        {
            store.Raw.Logs.Append(pod.Metadata!.Namespace!, pod.Metadata.Name!, container, runningSince, $"dorisctl sandbox: simulated container {container} started from {main.Image} on node {nodeName}");
        }

        if (!wasReady && state.Ready == true)
        {
            store.Raw.Logs.Append(pod.Metadata!.Namespace!, pod.Metadata.Name!, container, now, "ready: the readiness probe passes");
        }
    }

    /// <summary>The debug annotations of the upstream images: the entrypoint listens on the liveness port and never passes readiness.</summary>
    public static bool InDebugMode(Pod pod) =>
        pod.Metadata?.Annotations is { } a &&
        (a.GetValueOrDefault(DorisLabels.DebugRunMode) == "debug" || a.GetValueOrDefault(DorisLabels.DebugRunModeApache) == "debug");

    private static bool FeGateOpen(Pod pod, HashSet<(string?, string?)> readyFe)
    {
        var component = Label(pod, DorisLabels.Component);
        if (component is null || (component == "fe" && PodFacts.Ordinal(pod.Metadata!.Name!) == 0))
        {
            return true;
        }

        return readyFe.Contains((pod.Metadata!.Namespace, Label(pod, DorisLabels.Cluster)));
    }

    private static void Release(TypedStore store, Pod pod)
    {
        var finalizers = (pod.Metadata!.Finalizers ?? []).Where(f => f != PodFacts.KubeletFinalizer).ToList();
        store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with { Metadata = pod.Metadata with { Finalizers = finalizers } });
    }

    private static void Terminate(TypedStore store, Pod pod, SimulationTimings timings, DateTimeOffset now)
    {
        var grace = TimeSpan.FromSeconds(pod.Spec?.TerminationGracePeriodSeconds ?? 30);
        var deadline = pod.Metadata!.DeletionTimestamp!.Value + (timings.Stop < grace ? timings.Stop : grace);
        var unready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        if (now >= deadline || pod.Spec?.NodeName is null)
        {
            Release(store, pod);
        }
        else if (unready)
        {
            if (pod.Spec?.Containers?.FirstOrDefault()?.Name is { } container)
            {
                store.Raw.Logs.Append(pod.Metadata.Namespace!, pod.Metadata.Name!, container, now, $"received SIGTERM: stopping (grace period {grace.TotalSeconds:0} s)");
            }

            // The endpoints controller stops sending traffic as soon as the pod is terminating.
            store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with
            {
                Status = pod.Status! with { Conditions = [.. pod.Status!.Conditions!.Select(c => c.Type is "Ready" or "ContainersReady" ? c with { Status = "False", LastTransitionTime = now } : c)] },
            }, status: true);
        }
    }

    private static string? MissingVolume(Pod pod, IReadOnlySet<string> secrets, IReadOnlySet<string> configMaps)
    {
        var ns = pod.Metadata!.Namespace;
        foreach (var v in pod.Spec?.Volumes ?? [])
        {
            if (v.Secret is { SecretName: { } s } secret && secret.Optional != true && !secrets.Contains($"{ns}/{s}"))
            {
                return $"MountVolume.SetUp failed for volume \"{v.Name}\": secret \"{s}\" not found";
            }

            if (v.ConfigMap is { Name: { } c } map && map.Optional != true && !configMaps.Contains($"{ns}/{c}"))
            {
                return $"MountVolume.SetUp failed for volume \"{v.Name}\": configmap \"{c}\" not found";
            }
        }

        return null;
    }

    private static string? NodeIp(Node node) => node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;

    private static bool SameStatus(PodStatus a, PodStatus b) =>
        System.Text.Json.JsonSerializer.Serialize(a, Doris.Kubernetes.Serialization.KubernetesJsonContext.Default.PodStatus) ==
        System.Text.Json.JsonSerializer.Serialize(b, Doris.Kubernetes.Serialization.KubernetesJsonContext.Default.PodStatus);

    private static string? Label(Pod pod, string key) => pod.Metadata?.Labels?.GetValueOrDefault(key);
}
