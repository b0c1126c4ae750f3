using Doris.Kubernetes.Models;

namespace Doris.Desired.Tests;

public sealed class DisruptionAndSpreadTests
{
    private const string Head = "apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: c, namespace: d}\nspec:\n";

    [Theory]
    [InlineData("replicas: 3", 1)]
    [InlineData("replicas: 5, electionNumber: 5", 2)]
    [InlineData("replicas: 7, electionNumber: 5", 2)]
    [InlineData("replicas: 1", 1)]
    public void FeBudget_ForElectingFollowers_KeepsTheMajority(string fe, int allowed)
    {
        var d = Render.Yaml(Head + $"  feSpec: {{image: f, {fe}}}\n");

        d.Get<PodDisruptionBudget>("c-fe-pdb").Spec!.MaxUnavailable!.ToString().ShouldBe(allowed.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Budgets_ByDefault_OneBeAtATimeAndAQuarterOfCns()
    {
        var d = Render.Yaml(Head + "  feSpec: {replicas: 3, image: f}\n  beSpec: {replicas: 3, image: b}\n  cnSpec: {replicas: 4, image: c}\n");

        d.Get<PodDisruptionBudget>("c-be-pdb").Spec!.MaxUnavailable!.ToString().ShouldBe("1");
        d.Get<PodDisruptionBudget>("c-cn-pdb").Spec!.MaxUnavailable!.ToString().ShouldBe("25%");
        d.Get<PodDisruptionBudget>("c-be-pdb").Spec!.Selector!.MatchLabels!.Values.ShouldContain("be");
    }

    [Fact]
    public void Budget_SwitchedOff_IsNotRendered()
    {
        var d = Render.Yaml(Head + "  feSpec: {replicas: 3, image: f}\n  beSpec: {replicas: 3, image: b, enablePodDisruptionBudget: false}\n");

        d.Objects.OfType<PodDisruptionBudget>().Select(p => p.Metadata!.Name).ShouldBe(["c-fe-pdb"]);
    }

    [Fact]
    public void FeAndBe_SpreadOverZones_AsAPreference_CnDoesNot()
    {
        var d = Render.Yaml(Head + "  feSpec: {replicas: 3, image: f}\n  beSpec: {replicas: 3, image: b}\n  cnSpec: {replicas: 2, image: c}\n");

        foreach (var sts in new[] { "c-fe", "c-be" })
        {
            var spread = d.Get<StatefulSet>(sts).Spec!.Template!.Spec!.TopologySpreadConstraints!.ShouldHaveSingleItem();
            spread.TopologyKey.ShouldBe("topology.kubernetes.io/zone");
            spread.WhenUnsatisfiable.ShouldBe("ScheduleAnyway", "a single-zone cluster must still schedule");
            spread.MaxSkew.ShouldBe(1);
            spread.LabelSelector!.MatchLabels!.ShouldBe(d.Get<StatefulSet>(sts).Spec!.Selector!.MatchLabels!);
        }

        d.Get<StatefulSet>("c-cn").Spec!.Template!.Spec!.TopologySpreadConstraints.ShouldBeNull();
    }
}
