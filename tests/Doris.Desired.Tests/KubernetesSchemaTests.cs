using Doris.Testing;

namespace Doris.Desired.Tests;

/// <summary>Every object we render must be one the Kubernetes v1.34 API server accepts: known fields, right types, required fields present.</summary>
public sealed class KubernetesSchemaTests
{
    [Theory]
    [MemberData(nameof(GoldenTests.Examples), MemberType = typeof(GoldenTests))]
    public void RenderedObjects_ValidateAgainstKubernetesOpenApi(string file)
    {
        var desired = Render.File(file);

        desired.Objects.ShouldNotBeEmpty();
        foreach (var obj in desired.Objects)
        {
            var violations = KubernetesSwagger.Validate(Render.Node(obj));
            violations.ShouldBeEmpty($"{obj.Kind} {obj.Metadata?.Name}: {string.Join("; ", violations)}");
        }
    }

    [Fact]
    public void Validator_ObjectWithUnknownField_IsRejected()
    {
        var sts = Render.Node(Render.File(SharedFiles.UpstreamExamples[0]).Objects.OfType<Kubernetes.Models.StatefulSet>().First());
        sts["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePulPolicy"] = "Always";

        KubernetesSwagger.Validate(sts).ShouldHaveSingleItem().Path.ShouldBe("spec.template.spec.containers[0].imagePulPolicy");
    }
}
