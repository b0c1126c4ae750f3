using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;

namespace Doris.Eks.Artefacts;

/// <summary>
/// The EKS add-ons the plan installs, in eksctl's and terraform-aws-eks's forms, each pinned when the blueprint
/// names a version (dorisctl carries no add-on version table, so it never invents one).
/// </summary>
public static class Addons
{
    public static readonly string[] Names = ["eks-pod-identity-agent", "vpc-cni", "aws-ebs-csi-driver", "coredns", "kube-proxy"];

    /// <summary>eksctl <c>addons</c> entries, in the order they must come up (the Pod Identity agent first).</summary>
    public static JsonArray Eksctl(Blueprint b, JsonObject ebsCsi)
    {
        var addons = new JsonArray(
            new JsonObject { ["name"] = "eks-pod-identity-agent" },
            new JsonObject { ["name"] = "vpc-cni", ["configurationValues"] = CniBuilder.AddonConfiguration(b), ["useDefaultPodIdentityAssociations"] = true },
            ebsCsi,
            new JsonObject { ["name"] = "coredns" },
            new JsonObject { ["name"] = "kube-proxy" });
        foreach (var addon in addons.OfType<JsonObject>())
        {
            if (b.AddonVersions?.GetValueOrDefault((string)addon["name"]!) is { } version)
            {
                addon["version"] = version;
            }
        }

        return addons;
    }

    /// <summary>terraform-aws-eks v21 <c>addons</c>: the agent and the CNI before nodes join.</summary>
    public static JsonObject Terraform(Blueprint b)
    {
        var addons = new JsonObject
        {
            ["eks-pod-identity-agent"] = new JsonObject { ["before_compute"] = true },
            ["vpc-cni"] = new JsonObject { ["before_compute"] = true, ["configuration_values"] = CniBuilder.AddonConfiguration(b) },
            ["aws-ebs-csi-driver"] = new JsonObject(),
            ["coredns"] = new JsonObject(),
            ["kube-proxy"] = new JsonObject(),
        };
        foreach (var (name, addon) in addons)
        {
            if (b.AddonVersions?.GetValueOrDefault(name) is { } version)
            {
                addon!["addon_version"] = version;
                addon["most_recent"] = false;
            }
        }

        return addons;
    }
}
