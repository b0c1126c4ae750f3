using Doris.Api.Crd;
using Doris.Kubernetes.Models;

namespace Doris.Cli.Commands;

/// <summary>
/// What installing the operator takes, with least privilege: write access only to the kinds it renders,
/// read access to what it reads, Events to report, a Lease in its own namespace, and a Deployment that runs
/// as non-root with a read-only root file system and no capabilities.
/// </summary>
internal static class InstallManifests
{
    public const string Name = "dorisctl-operator";

    /// <summary>
    /// The install manifests. With <paramref name="watchNamespace"/> the operator is confined to that namespace: its
    /// rights there come from a Role, and the only cluster-wide right left is reading nodes (drain signals).
    /// </summary>
    public static IReadOnlyList<IKubernetesObject> Build(string ns, string image, string? watchNamespace = null)
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = Name };
        var subjects = new[] { new Subject { Kind = "ServiceAccount", Name = Name, Namespace = ns } };
        var objects = new List<IKubernetesObject>
        {
            DorisClusterCrd.Build(),
            DorisDisaggregatedClusterCrd.Build(),
            new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = ns } },
            new ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new ObjectMeta { Name = Name, Namespace = ns, Labels = labels } },
        };
        if (watchNamespace is null)
        {
            objects.Add(new ClusterRole { ApiVersion = Rbac, Kind = "ClusterRole", Metadata = new ObjectMeta { Name = Name, Labels = labels }, Rules = [.. WorkloadRules(), NodeRule, StorageClassRule] });
            objects.Add(new ClusterRoleBinding { ApiVersion = Rbac, Kind = "ClusterRoleBinding", Metadata = new ObjectMeta { Name = Name, Labels = labels }, RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name }, Subjects = subjects });
        }
        else
        {
            objects.Add(new ClusterRole { ApiVersion = Rbac, Kind = "ClusterRole", Metadata = new ObjectMeta { Name = Name + "-nodes", Labels = labels }, Rules = [NodeRule, StorageClassRule] });
            objects.Add(new ClusterRoleBinding { ApiVersion = Rbac, Kind = "ClusterRoleBinding", Metadata = new ObjectMeta { Name = Name + "-nodes", Labels = labels }, RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name + "-nodes" }, Subjects = subjects });
            objects.Add(new Role { ApiVersion = Rbac, Kind = "Role", Metadata = new ObjectMeta { Name = Name, Namespace = watchNamespace, Labels = labels }, Rules = WorkloadRules() });
            objects.Add(new RoleBinding { ApiVersion = Rbac, Kind = "RoleBinding", Metadata = new ObjectMeta { Name = Name, Namespace = watchNamespace, Labels = labels }, RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name }, Subjects = subjects });
        }

        objects.Add(new Role
        {
            ApiVersion = Rbac,
            Kind = "Role",
            Metadata = new ObjectMeta { Name = Name + "-leader-election", Namespace = ns, Labels = labels },
            Rules = [new PolicyRule { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], Verbs = ["get", "create", "update"] }],
        });
        objects.Add(new RoleBinding
        {
            ApiVersion = Rbac,
            Kind = "RoleBinding",
            Metadata = new ObjectMeta { Name = Name + "-leader-election", Namespace = ns, Labels = labels },
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name + "-leader-election" },
            Subjects = subjects,
        });
        objects.Add(Deployment(ns, image, labels, watchNamespace));
        return objects;
    }

    private const string Rbac = "rbac.authorization.k8s.io/v1";

    // Nodes are cluster-scoped: the drain step reads them (cordons, Spot and disruption taints) wherever it runs.
    private static readonly PolicyRule NodeRule = new() { ApiGroups = [string.Empty], Resources = ["nodes"], Verbs = ["get", "list", "watch"] };

    // Cluster-scoped too: whether a claim's StorageClass allows expansion (provisioner: Operator).
    private static readonly PolicyRule StorageClassRule = new() { ApiGroups = ["storage.k8s.io"], Resources = ["storageclasses"], Verbs = ["get", "list"] };

    private static IReadOnlyList<PolicyRule> WorkloadRules()
    {
        string[] readOnly = ["get", "list", "watch"];
        string[] readWrite = ["get", "list", "watch", "create", "update", "patch", "delete"];
        return
        [
            new PolicyRule { ApiGroups = [DorisClusterCrd.Group], Resources = [DorisClusterCrd.Plural], Verbs = ["get", "list", "watch", "update", "patch"] },
            new PolicyRule { ApiGroups = [DorisClusterCrd.Group], Resources = [DorisClusterCrd.Plural + "/status"], Verbs = ["get", "update", "patch"] },
            new PolicyRule { ApiGroups = [DorisDisaggregatedClusterCrd.Group], Resources = [DorisDisaggregatedClusterCrd.Plural], Verbs = ["get", "list", "watch"] },
            new PolicyRule { ApiGroups = [DorisDisaggregatedClusterCrd.Group], Resources = [DorisDisaggregatedClusterCrd.Plural + "/status"], Verbs = ["get", "update", "patch"] },
            new PolicyRule { ApiGroups = ["apps"], Resources = ["statefulsets"], Verbs = readWrite },
            new PolicyRule { ApiGroups = [string.Empty], Resources = ["services"], Verbs = readWrite },
            new PolicyRule { ApiGroups = ["policy"], Resources = ["poddisruptionbudgets"], Verbs = readWrite },
            new PolicyRule { ApiGroups = ["autoscaling"], Resources = ["horizontalpodautoscalers"], Verbs = readWrite },
            new PolicyRule { ApiGroups = [string.Empty], Resources = ["configmaps", "pods", "persistentvolumeclaims"], Verbs = readOnly },

            // A CN on a draining node is deleted once it is out of the FE, so it restarts on a node that stays; the
            // claims of an FE observer dropped from the FE go too (BE and CN claims are never deleted).
            new PolicyRule { ApiGroups = [string.Empty], Resources = ["pods", "persistentvolumeclaims"], Verbs = ["delete"] },

            // provisioner: Operator: claims grow in place, where their StorageClass allows expansion.
            new PolicyRule { ApiGroups = [string.Empty], Resources = ["persistentvolumeclaims"], Verbs = ["patch"] },

            // Only the auth Secret a cluster names is read, by name: no list or watch of every Secret.
            new PolicyRule { ApiGroups = [string.Empty], Resources = ["secrets"], Verbs = ["get"] },
            new PolicyRule { ApiGroups = [string.Empty], Resources = ["events"], Verbs = ["create", "patch"] },
        ];
    }

    private static Deployment Deployment(string ns, string image, Dictionary<string, string> labels, string? watchNamespace) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new ObjectMeta { Name = Name, Namespace = ns, Labels = labels },
        Spec = new DeploymentSpec
        {
            // Two replicas: a standby takes over through the Lease if the leader's node goes.
            Replicas = 2,
            Selector = new LabelSelector { MatchLabels = labels },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = labels },
                Spec = new PodSpec
                {
                    ServiceAccountName = Name,
                    SecurityContext = new PodSecurityContext { RunAsNonRoot = true, RunAsUser = 65532, SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" } },
                    TerminationGracePeriodSeconds = 30,
                    Containers =
                    [
                        new Container
                        {
                            Name = "operator",
                            Image = image,
                            // The operator-only build in the image (image/rootfs.sh): the same options as `dorisctl
                            // operator`, about 15 MiB less resident (bench/RESULTS.md).
                            Command = ["/app/dorisctl-operator"],
                            Args = ["operator", "--lease-namespace", ns, "--probe-port", "8081", "--probe-address", "0.0.0.0", .. (watchNamespace is null ? Array.Empty<string>() : ["--namespace", watchNamespace])],
                            Ports = [new ContainerPort { Name = "probes", ContainerPortValue = 8081 }],
                            LivenessProbe = new Probe { HttpGet = new HTTPGetAction { Path = "/healthz", Port = "probes" }, PeriodSeconds = 20, InitialDelaySeconds = 5 },
                            ReadinessProbe = new Probe { HttpGet = new HTTPGetAction { Path = "/readyz", Port = "probes" }, PeriodSeconds = 10 },
                            // Measured (bench/RESULTS.md, operator memory): 28-35 MiB idle (the image's dorisctl-operator), 56-57 MiB (ReadyToRun, self-contained composite), peaks of 124 MiB (the image's GC setting) to 298 MiB (ReadyToRun, an earlier build) with 1,000 clusters.
                            Resources = new ResourceRequirements
                            {
                                Requests = new Dictionary<string, Quantity> { ["cpu"] = "50m", ["memory"] = "96Mi" },
                                Limits = new Dictionary<string, Quantity> { ["cpu"] = "500m", ["memory"] = "512Mi" },
                            },
                            SecurityContext = new SecurityContext
                            {
                                AllowPrivilegeEscalation = false,
                                ReadOnlyRootFilesystem = true,
                                Capabilities = new Capabilities { Drop = ["ALL"] },
                            },
                        },
                    ],
                },
            },
        },
    };
}
