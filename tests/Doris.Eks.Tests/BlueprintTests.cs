namespace Doris.Eks.Tests;

public sealed class BlueprintTests
{
    [Fact]
    public void Read_MinimalBlueprint_HasNoErrors()
    {
        var (blueprint, issues) = Blueprints.Read(Blueprints.Minimal);

        blueprint.ShouldNotBeNull();
        issues.ShouldNotContain(i => i.IsError);
    }

    [Theory]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: spot, role: cn, maxSize: 10, instanceTypes: [r5.2xlarg]}", "pools[1].instanceTypes[0]", "'r5.2xlarg' is not a known instance type")]
    [InlineData("- {team: t, spec: 7c3g, lifecycle: on-demand, role: cn, maxSize: 10}", "pools[1].spec", "no amd64 instance type has exactly 7 vCPU and 3 GiB")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: on-demand, role: be, minSize: 5, maxSize: 2}", "pools[1].minSize", "5 is more than maxSize 2")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: on-demand, role: be, maxSize: 2, zones: [us-east-1c]}", "pools[1].zones[0]", "'us-east-1c' has no subnet")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: spot, role: be, maxSize: 2}", "pools[1].lifecycle", "must not run on Spot")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: on-demand, role: be, maxSize: 2, instanceTypes: [r5.2xlarge, m5.2xlarge]}", "pools[1].instanceTypes[1]", "m5.2xlarge has 8 vCPU and 32 GiB, not 8c64g")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: on-demand, role: be, maxSize: 2, instanceTypes: [r5.2xlarge, r6g.2xlarge]}", "pools[1].instanceTypes", "mixes amd64 and arm64")]
    [InlineData("- {team: T_1, spec: 8c64g, lifecycle: on-demand, maxSize: 2}", "pools[1].team", "'T_1' is not a valid team name")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: on-demand, maxSize: 2, labels: {kubernetes.io/role: db}}", "pools[1].labels", "Kubernetes-reserved namespace")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: spot, role: cn, maxSize: 10}", "pools[1]", "a second pool for team t, spec 8c64g")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: reserved, maxSize: 2}", "pools[1].lifecycle", "'reserved' is not one of 'spot', 'on-demand'")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: spot, maxSize: 2, taints: [{key: a, effect: NoSchedul}]}", "pools[1].taints[0].effect", "not one of")]
    [InlineData("- {team: t, spec: 8c64g, lifecycle: spot, maxSize: 2, minSise: 1}", "pools[1].minSise", "did you mean 'minSize'?")]
    public void Read_BadPool_NamesTheFieldAndTheFix(string pool, string path, string message)
    {
        var (blueprint, issues) = Blueprints.Read(Blueprints.Minimal + pool + "\n");

        blueprint.ShouldBeNull();
        issues.ShouldContain(i => i.IsError && i.Path == path && i.Message.Contains(message, StringComparison.Ordinal), string.Join("\n", issues));
    }

    [Theory]
    [InlineData("region: us-east-1", "region: useast1", "region", "not an AWS region")]
    [InlineData("kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/abc", "kmsKeyArn: alias/doris", "kmsKeyArn", "not a full KMS key ARN")]
    [InlineData("kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/abc", "kmsKeyArn: arn:aws:kms:eu-west-1:111122223333:key/abc", "kmsKeyArn", "not in us-east-1")]
    [InlineData("name: t", "name: t\nnodeOs: AL2\nkubernetesVersion: \"1.34\"", "nodeOs", "AL2 has no EKS AMIs for Kubernetes 1.34")]
    [InlineData("cidr: 10.0.16.0/20", "cidr: 10.0.16.0", "vpc.subnets[1].cidr", "not an IPv4 CIDR")]
    [InlineData("zone: us-east-1b", "zone: eu-west-1b", "vpc.subnets[1].zone", "not a zone of us-east-1")]
    public void Read_BadClusterField_NamesTheFieldAndTheFix(string from, string to, string path, string message)
    {
        var (blueprint, issues) = Blueprints.Read(Blueprints.Minimal.Replace(from, to, StringComparison.Ordinal));

        blueprint.ShouldBeNull();
        issues.ShouldContain(i => i.IsError && i.Path == path && i.Message.Contains(message, StringComparison.Ordinal), string.Join("\n", issues));
    }

    [Fact]
    public void Read_Al2OnOldKubernetes_IsOnlyAWarning()
    {
        var (blueprint, issues) = Blueprints.Read(Blueprints.Minimal.Replace("name: t", "name: t\nnodeOs: AL2\nkubernetesVersion: \"1.31\"", StringComparison.Ordinal));

        blueprint.ShouldNotBeNull();
        issues.ShouldContain(i => !i.IsError && i.Path == "nodeOs");
    }

    [Fact]
    public void Read_SubnetTooSmallForThePlan_IsAnErrorNamingTheSubnet()
    {
        var (blueprint, issues) = Blueprints.Read(Blueprints.Minimal.Replace("10.0.0.0/20", "10.0.0.0/26", StringComparison.Ordinal));

        blueprint.ShouldBeNull();
        issues.ShouldContain(i => i.IsError && i.Path == "vpc.subnets[0].cidr" && i.Message.Contains("59 usable addresses", StringComparison.Ordinal) && i.Message.Contains("larger subnet", StringComparison.Ordinal), string.Join("\n", issues));
    }

    [Fact]
    public void Plan_SubnetTooSmall_IsNotedInTheIpPlan()
    {
        var (blueprint, _) = Blueprints.Read(Blueprints.Minimal);
        var small = blueprint! with { Vpc = blueprint.Vpc! with { Subnets = [.. blueprint.Vpc.Subnets!.Select(s => s with { Cidr = "10.0.0.0/26" })] } };

        var plan = Planning.EksPlanner.Plan(small, Instances.InstanceCatalog.Default);

        plan.Subnets.ShouldAllBe(s => !s.Fits && s.Usable == 59);
        plan.Notes.ShouldContain(n => n.Contains("subnet-a", StringComparison.Ordinal) && n.Contains("larger subnet", StringComparison.Ordinal));
    }
}
