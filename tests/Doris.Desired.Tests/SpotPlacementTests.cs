using Doris.Kubernetes.Models;

namespace Doris.Desired.Tests;

public sealed class SpotPlacementTests
{
    private const string Head = "apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: c, namespace: d}\nspec:\n";

    private static PodSpec Pod(DesiredCluster d, string sts) => d.Get<StatefulSet>(sts).Spec!.Template!.Spec!;

    [Fact]
    public void FeAndBe_ByDefault_AvoidSpotOnEveryCapacityLabel()
    {
        var d = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b}\n");

        foreach (var sts in new[] { "c-fe", "c-be" })
        {
            var term = Pod(d, sts).Affinity!.NodeAffinity!.RequiredDuringSchedulingIgnoredDuringExecution!.NodeSelectorTerms!.ShouldHaveSingleItem();
            term.MatchExpressions!.Select(e => $"{e.Key} {e.Operator} {e.Values!.Single()}").ShouldBe(
                ["eks.amazonaws.com/capacityType NotIn SPOT", "karpenter.sh/capacity-type NotIn spot", "node.spotmax/type NotIn spot"]);
            Pod(d, sts).Tolerations.ShouldBeNull();
        }
    }

    [Fact]
    public void Cn_WithoutPolicy_IsLeftAsTheUserWroteIt()
    {
        var d = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  cnSpec: {replicas: 1, image: b}\n");

        Pod(d, "c-cn").Affinity!.NodeAffinity.ShouldBeNull();
        Pod(d, "c-cn").Tolerations.ShouldBeNull();
    }

    [Fact]
    public void Cn_Required_IsAndedIntoEachUserTerm_AndToleratesTheSpotTaint()
    {
        var d = Render.Yaml(Head + """
              feSpec: {replicas: 1, image: f}
              cnSpec:
                replicas: 1
                image: b
                spotPolicy: required
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: node.spotmax/team, operator: In, values: [bi]}]
            """ + "\n");

        var terms = Pod(d, "c-cn").Affinity!.NodeAffinity!.RequiredDuringSchedulingIgnoredDuringExecution!.NodeSelectorTerms!;
        terms.Count.ShouldBe(3, "the user's term once per Spot label scheme (terms are ORed)");
        terms.ShouldAllBe(t => t.MatchExpressions![0].Key == "node.spotmax/team" && t.MatchExpressions.Count == 2);
        terms.Select(t => t.MatchExpressions![1].Key).ShouldBe(["eks.amazonaws.com/capacityType", "karpenter.sh/capacity-type", "node.spotmax/type"]);
        Pod(d, "c-cn").Tolerations!.ShouldHaveSingleItem().Key.ShouldBe("node.spotmax/type");
    }

    [Fact]
    public void Cn_Preferred_AddsWeightedPreferencesAndTheToleration_WithoutDuplicatingTheUsers()
    {
        var d = Render.Yaml(Head + """
              feSpec: {replicas: 1, image: f}
              cnSpec:
                replicas: 1
                image: b
                spotPolicy: preferred
                tolerations: [{key: node.spotmax/type, operator: Equal, value: spot, effect: NoSchedule}]
            """ + "\n");

        var node = Pod(d, "c-cn").Affinity!.NodeAffinity!;
        node.RequiredDuringSchedulingIgnoredDuringExecution.ShouldBeNull();
        node.PreferredDuringSchedulingIgnoredDuringExecution!.Count.ShouldBe(3);
        Pod(d, "c-cn").Tolerations!.ShouldHaveSingleItem();
    }

    [Fact]
    public void Broker_Allowed_OnlyTolerates()
    {
        var d = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  brokerSpec: {replicas: 1, image: k, spotPolicy: allowed}\n");

        Pod(d, "c-broker").Affinity!.NodeAffinity.ShouldBeNull();
        Pod(d, "c-broker").Tolerations!.ShouldHaveSingleItem().Value.ShouldBe("spot");
    }
}
