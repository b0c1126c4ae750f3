using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;

namespace Doris.Eks.Artefacts;

/// <summary>
/// The gp3 StorageClass Doris claims use: encrypted with the blueprint's key, created in the zone the pod is
/// scheduled to (WaitForFirstConsumer, so zonal node groups and volumes line up), kept when the claim goes.
/// </summary>
public static class StorageClassBuilder
{
    public const string Name = "gp3-encrypted";

    public static JsonObject Build(Blueprint b)
    {
        var parameters = new JsonObject { ["type"] = "gp3", ["encrypted"] = "true", ["csi.storage.k8s.io/fstype"] = "ext4" };
        if (b.KmsKeyArn is { } key)
        {
            parameters["kmsKeyId"] = key;
        }

        return new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = Name },
            ["provisioner"] = "ebs.csi.aws.com",
            ["parameters"] = parameters,
            ["volumeBindingMode"] = "WaitForFirstConsumer",
            ["allowVolumeExpansion"] = true,
            ["reclaimPolicy"] = "Retain",
        };
    }
}
