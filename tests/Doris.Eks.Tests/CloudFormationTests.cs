using System.Text.Json.Nodes;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

/// <summary>The AWS templates the plan writes: every reference resolves, and they meet the pieces that use them.</summary>
public sealed class CloudFormationTests
{
    private static Planning.EksPlan Plan() => Blueprints.Plan(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", "kmax-spot.yaml"));

    private static JsonObject Template(Planning.EksPlan plan, string path) => YamlReader.Read(plan.Artefacts.Single(a => a.Path == path).Content, path).Single().Root!.AsObject();

    [Theory]
    [InlineData("aws/nth-queue.cfn.yaml")]
    [InlineData("aws/vpc-endpoints.cfn.yaml")]
    public void Template_EveryRefAndGetAttResolves(string path)
    {
        var template = Template(Plan(), path);
        var names = template["Resources"]!.AsObject().Select(kv => kv.Key).Concat(template["Parameters"]?.AsObject().Select(kv => kv.Key) ?? []).ToHashSet();

        foreach (var node in Descendants(template))
        {
            if (node["Ref"] is JsonValue r)
            {
                names.ShouldContain((string)r!, path);
            }

            if (node["Fn::GetAtt"] is JsonArray a)
            {
                template["Resources"]!.AsObject().ContainsKey((string)a[0]!).ShouldBeTrue(path);
            }
        }

        template["Resources"]!.AsObject().Select(kv => (string?)kv.Value!["Type"]).ShouldAllBe(t => t != null && t.StartsWith("AWS::", StringComparison.Ordinal));
    }

    // The queue NTH reads is the one its IAM policy names, every rule delivers to it, and the values point at its URL.
    [Fact]
    public void NthQueue_IsTheOneItsPolicyNamesAndEveryRuleFeedsIt()
    {
        var plan = Plan();
        var template = Template(plan, "aws/nth-queue.cfn.yaml");
        var resources = template["Resources"]!.AsObject();
        var queueName = (string)resources["Queue"]!["Properties"]!["QueueName"]!;
        var policy = JsonNode.Parse(plan.Artefacts.Single(a => a.Path == "iam/node-termination-handler-policy.json").Content)!;

        policy["Statement"]!.AsArray().ShouldContain(s => ((string)s!["Resource"]!).EndsWith(":" + queueName, StringComparison.Ordinal));
        var rules = resources.Where(kv => (string?)kv.Value!["Type"] == "AWS::Events::Rule").ToList();
        rules.Select(r => (string)r.Value!["Properties"]!["EventPattern"]!["detail-type"]![0]!).ShouldBe(
            ["EC2 Spot Instance Interruption Warning", "EC2 Instance Rebalance Recommendation", "EC2 Instance State-change Notification", "AWS Health Event", "EC2 Instance-terminate Lifecycle Action"], ignoreOrder: true);
        rules.ShouldAllBe(r => (string?)r.Value!["Properties"]!["Targets"]![0]!["Arn"]!["Fn::GetAtt"]![0] == "Queue");
        template["Outputs"]!["QueueURL"]!["Value"]!["Ref"]!.GetValue<string>().ShouldBe("Queue");
        plan.Artefacts.Single(a => a.Path == "node-termination-handler-values.yaml").Content.ShouldContain("queueURL:");
    }

    [Fact]
    public void LifecycleHooks_EveryEksctlGroupGetsOne()
    {
        var plan = Plan();
        var script = plan.Artefacts.Single(a => a.Path == "aws/nth-lifecycle-hooks.sh").Content;

        foreach (var group in plan.Groups)
        {
            script.ShouldContain($"Values={group.Name} ");
        }

        script.Split('\n').Count(l => l.StartsWith("aws autoscaling put-lifecycle-hook", StringComparison.Ordinal)).ShouldBe(plan.Groups.Count);
    }

    [Fact]
    public void VpcEndpoints_CoverWhatNodesAndAddOnsCall()
    {
        var resources = Template(Plan(), "aws/vpc-endpoints.cfn.yaml")["Resources"]!.AsObject();
        var services = resources.Select(kv => (string?)kv.Value!["Properties"]!["ServiceName"]).OfType<string>().Select(s => s["com.amazonaws.us-east-1.".Length..]).ToList();

        services.ShouldContain("s3");
        foreach (var needed in new[] { "ecr.api", "ecr.dkr", "sts", "eks-auth", "sqs", "autoscaling", "ec2" })
        {
            services.ShouldContain(needed);
        }
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode node) => node switch
    {
        JsonObject o => [o, .. o.Select(kv => kv.Value).OfType<JsonNode>().SelectMany(Descendants)],
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants),
        _ => [],
    };
}
