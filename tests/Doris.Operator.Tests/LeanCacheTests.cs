using System.Text.Json;
using Doris.Kubernetes.Models;
using Doris.Operator.Cluster;

namespace Doris.Operator.Tests;

/// <summary>What the pod cache keeps: every field a reconcile reads, none of the bulk.</summary>
public sealed class LeanCacheTests
{
    private static readonly Pod Full = new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta
        {
            Name = "doris-be-0",
            Namespace = "default",
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/component"] = "be" },
            Annotations = new Dictionary<string, string> { ["selectdb.com.doris/runmode"] = "debug" },
            ManagedFields = [new ManagedFieldsEntry { Manager = "kubelet" }],
        },
        Spec = new PodSpec
        {
            NodeName = "ip-10-0-1-10.ec2.internal",
            Hostname = "doris-be-0",
            Subdomain = "doris-be-internal",
            HostNetwork = false,
            Containers = [new Container { Name = "be", Image = "apache/doris:be-2.1.8", Resources = new ResourceRequirements { Requests = new Dictionary<string, Quantity> { ["cpu"] = "8" } }, Env = [new EnvVar { Name = "FE_SERVICE", Value = "x" }] }],
            InitContainers = [new Container { Name = "sysctl", Image = "busybox" }],
            Volumes = [new Volume { Name = "be-storage" }],
            Tolerations = [new Toleration { Key = "node.spotmax/type" }],
        },
        Status = new PodStatus { Phase = "Running", PodIP = "10.0.1.20", Conditions = [new PodCondition { Type = "Ready", Status = "True" }] },
    };

    [Fact]
    public void LeanPod_KeepsWhatReconcilesRead_DropsVolumesEnvAndManagedFields()
    {
        var lean = CachedClusterView.LeanPod(Full);

        lean.Metadata!.Labels.ShouldBe(Full.Metadata!.Labels);
        lean.Metadata.Annotations.ShouldBe(Full.Metadata.Annotations);
        lean.Metadata.ManagedFields.ShouldBeNull();
        lean.Spec!.NodeName.ShouldBe("ip-10-0-1-10.ec2.internal");
        lean.Spec.Hostname.ShouldBe("doris-be-0");
        lean.Spec.Subdomain.ShouldBe("doris-be-internal");
        lean.Spec.Containers!.Single().Resources!.Requests!["cpu"].ShouldBe(new Quantity("8"));
        lean.Spec.Containers!.Single().Image.ShouldBe("apache/doris:be-2.1.8");
        lean.Status.ShouldBe(Full.Status);
        lean.Spec.Volumes.ShouldBeNull();
        lean.Spec.InitContainers.ShouldBeNull();
        lean.Spec.Tolerations.ShouldBeNull();
        lean.Spec.Containers!.Single().Env.ShouldBeNull();
    }

    // A production cluster as the builders render it, and the same with a claim renamed and the selector changed:
    // every decision taken from a live StatefulSet comes out the same from its lean copy.
    [Fact]
    public void LeanStatefulSet_DriftRenamesRolloutAndRestartReads_AreTheSameAsFromTheFullSet()
    {
        var file = Path.Combine(Doris.Testing.SharedFiles.RepositoryRoot, "examples", "production.yaml");
        var cluster = Doris.Kubernetes.Serialization.YamlReader.Read(File.ReadAllText(file), "production.yaml").Select(d => d.Root!)
            .Single(r => (string?)r["kind"] == "DorisCluster").Deserialize(Doris.Api.Serialization.DorisApiJsonContext.Default.DorisCluster)!;
        var desired = Doris.Desired.DesiredClusterBuilder.Build(cluster, new Dictionary<string, ConfigMap>()).Objects.OfType<StatefulSet>().ToList();
        desired.Count.ShouldBeGreaterThan(1);
        foreach (var set in desired)
        {
            var live = set with
            {
                Metadata = set.Metadata! with { ManagedFields = [new ManagedFieldsEntry { Manager = "kube-controller-manager" }] },
                Spec = set.Spec! with
                {
                    Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["old"] = "selector" } },
                    VolumeClaimTemplates = [.. (set.Spec.VolumeClaimTemplates ?? []).Select(c => c with { Metadata = c.Metadata! with { Name = "old-" + c.Metadata.Name } })],
                    Template = set.Spec.Template! with
                    {
                        Spec = set.Spec.Template.Spec! with
                        {
                            Containers = [.. set.Spec.Template.Spec.Containers!.Select(c => c with { VolumeMounts = [.. (c.VolumeMounts ?? []).Select(m => m with { Name = "old-" + m.Name })] })],
                        },
                    },
                },
                Status = new StatefulSetStatus { Replicas = 3, ReadyReplicas = 2, UpdateRevision = "r2", CurrentRevision = "r1" },
            };

            var lean = CachedClusterView.LeanStatefulSet(live);
            StatefulSetDrift.Find(set, live).ShouldNotBeEmpty("the selector changed: there is drift to find");
            if (set.Spec.VolumeClaimTemplates is { Count: > 0 })
            {
                ClaimNames.Renames(set, live).ShouldNotBeEmpty("claims mounted at the same paths under other names are renames");
            }

            StatefulSetDrift.Find(set, lean).ShouldBe(StatefulSetDrift.Find(set, live));
            ClaimNames.Renames(set, lean).ShouldBe(ClaimNames.Renames(set, live));
            lean.Spec!.Template!.Metadata.ShouldBe(live.Spec.Template.Metadata, "restart and rollout annotations");
            lean.Metadata!.Annotations.ShouldBe(live.Metadata.Annotations, "the hashes a steady reconcile compares");
            lean.Metadata.ManagedFields.ShouldBeNull();
            lean.Spec.Replicas.ShouldBe(live.Spec.Replicas);
            lean.Spec.UpdateStrategy.ShouldBe(live.Spec.UpdateStrategy);
            lean.Status.ShouldBe(live.Status);
            lean.Spec.Template.Spec!.InitContainers.ShouldBeNull();
            lean.Spec.Template.Spec.Volumes.ShouldBeNull();
            lean.Spec.Template.Spec.Containers!.ShouldAllBe(c => c.Env == null && c.LivenessProbe == null);
            System.Text.Json.JsonSerializer.Serialize(lean, Doris.Kubernetes.Serialization.KubernetesJsonContext.Default.StatefulSet).Length
                .ShouldBeLessThan(System.Text.Json.JsonSerializer.Serialize(live, Doris.Kubernetes.Serialization.KubernetesJsonContext.Default.StatefulSet).Length / 2);
        }
    }
}
