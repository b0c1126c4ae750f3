namespace Doris.Eks.Planning;

/// <summary>What the planner assumes when the blueprint is silent.</summary>
public static class PlanDefaults
{
    public const string KubernetesVersion = "1.34";
    public const string NodeOs = "AL2023";
    public const string Autoscaler = "cluster-autoscaler";
    public const int MinSpotTypes = 4;
    public const int VolumeSizeGib = 100;

    /// <summary>The AL2023 AMI release the notes were checked against; pinned so Karpenter does not drift nodes on every release.</summary>
    public const string Al2023AmiAlias = "al2023@v20260724";

    // The node-label vocabulary lives in one place (Doris.Api.Naming.NodeLabels), shared with the operator and the simulation.
    public const string TeamLabel = Doris.Api.Naming.NodeLabels.Team;
    public const string TypeLabel = Doris.Api.Naming.NodeLabels.Type;
    public const string SpecLabel = Doris.Api.Naming.NodeLabels.Spec;

    /// <summary>Which Doris component a pool hosts; lets the DorisCluster placement and the linter find FE/BE/CN nodes.</summary>
    public const string RoleLabel = Doris.Api.Naming.NodeLabels.Role;

    public const string CapacityTypeLabel = Doris.Api.Naming.NodeLabels.EksCapacityType;

    public const string NthManagedTag = "aws-node-termination-handler/managed";

    /// <summary>The cost-allocation tag every node carries (activate it in Billing to split costs by team).</summary>
    public const string CostTeamTag = "team";

    /// <summary>Bottlerocket's OS volume (/dev/xvda); the data volume (/dev/xvdb) holds images and pod storage.</summary>
    public const int BottlerocketOsVolumeGib = 4;

    /// <summary>Control-plane log types sent to CloudWatch (audit and authenticator for who did what).</summary>
    public const int LogRetentionDays = 90;

    public static readonly string[] ControlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
}
