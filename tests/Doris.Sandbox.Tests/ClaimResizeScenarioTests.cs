using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox.Tests;

/// <summary>
/// <c>provisioner: Operator</c>: a larger size in the spec grows the BE claims in place (the sandbox's default gp3
/// class allows expansion), with no pod restarted; a smaller one is refused with the reason.
/// </summary>
public sealed class ClaimResizeScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static async Task<Scenario> ReadyAsync(string size)
    {
        var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, _) = Scenario.Example("minimal");
        var be = cluster.Spec!.BeSpec! with { Replicas = 2, PersistentVolumes = [Volume(size)] };
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec with { BeSpec = be } }, []);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), Limit, "Ready");
        return s;
    }

    private static PersistentVolume Volume(string size) => new()
    {
        Name = "be-storage",
        MountPath = "/opt/apache-doris/be/storage",
        Provisioner = "Operator",
        PersistentVolumeClaimSpec = new PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new VolumeResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = size } } },
    };

    private static Task ResizeAsync(Scenario s, string size) =>
        s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, "{\"spec\":{\"beSpec\":{\"persistentVolumes\":[{\"name\":\"be-storage\",\"mountPath\":\"/opt/apache-doris/be/storage\",\"provisioner\":\"Operator\",\"persistentVolumeClaimSpec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"" + size + "\"}}}}]}}}");

    private static IReadOnlyList<PersistentVolumeClaim> Claims(Scenario s) =>
        [.. s.Env.Cluster.Store.List(TypedStore.Claims, KubernetesJsonContext.Default.PersistentVolumeClaim, "default").Where(c => c.Metadata!.Name!.StartsWith("be-storage-", StringComparison.Ordinal))];

    [Fact]
    public async Task OperatorProvisionedClaims_SizeRaised_GrowInPlaceWithoutRestartingPods()
    {
        await using var s = await ReadyAsync("100Gi");
        var pods = s.Pods("default", "app.kubernetes.io/component=be").Select(p => p.Metadata!.Uid).Order().ToList();

        await ResizeAsync(s, "200Gi");
        await s.RunUntilAsync(() => Task.FromResult(Claims(s).Count == 2 && Claims(s).All(c => c.Status?.Capacity?["storage"].Value == "200Gi")), Limit, "claims expanded");

        Claims(s).ShouldAllBe(c => c.Spec!.Resources!.Requests!["storage"].Value == "200Gi");
        s.Pods("default", "app.kubernetes.io/component=be").Select(p => p.Metadata!.Uid).Order().ToList().ShouldBe(pods, "an online expansion restarts no pod");
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), Limit, "still Ready");
        (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Status.ShouldBe("False", "a size handled by the operator is no StatefulSet drift");
    }

    [Fact]
    public async Task OperatorProvisionedClaims_SizeLowered_RefusedWithTheReason()
    {
        await using var s = await ReadyAsync("100Gi");

        await ResizeAsync(s, "50Gi");
        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True" && c.Message!.Contains("cannot shrink")) == true, Limit, "shrink refused");

        Claims(s).ShouldAllBe(c => c.Spec!.Resources!.Requests!["storage"].Value == "100Gi");
    }
}
