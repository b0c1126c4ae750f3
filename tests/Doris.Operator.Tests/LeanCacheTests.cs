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
}
