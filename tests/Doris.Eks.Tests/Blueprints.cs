using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Eks.Planning;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

internal static class Blueprints
{
    public static IReadOnlyList<string> Examples => [.. Directory.GetFiles(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks"), "*.yaml").Order(StringComparer.Ordinal)];

    public static (Blueprint? Blueprint, IReadOnlyList<BlueprintIssue> Issues) Read(string yaml) =>
        BlueprintReader.Read(YamlReader.Read(yaml, "bp.yaml").Single(), InstanceCatalog.Default);

    public static EksPlan Plan(string file)
    {
        var (blueprint, issues) = Read(File.ReadAllText(file));
        blueprint.ShouldNotBeNull(string.Join("\n", issues));
        return EksPlanner.Plan(blueprint!, InstanceCatalog.Default);
    }

    public const string Minimal = """
        apiVersion: dorisctl.io/v1alpha1
        kind: EksBlueprint
        name: t
        region: us-east-1
        kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/abc
        vpc:
          subnets:
          - {zone: us-east-1a, id: subnet-a, cidr: 10.0.0.0/20}
          - {zone: us-east-1b, id: subnet-b, cidr: 10.0.16.0/20}
        pools:
        - {team: t, spec: 8c64g, lifecycle: spot, role: cn, maxSize: 10}

        """;
}
