using Doris.Api.V1;

namespace Doris.Api.Validation;

/// <summary>FE election: the number of voting followers decides whether the metadata quorum survives a failure.</summary>
internal static class FrontendRules
{
    public static void Check(DorisClusterSpec spec, List<ValidationIssue> issues)
    {
        if (spec.FeSpec is not { } fe)
        {
            return;
        }

        var replicas = fe.Replicas ?? 0;
        if (fe.ElectionNumber is { } election)
        {
            if (election % 2 == 0)
            {
                issues.Add(ValidationIssue.Error("spec.feSpec.electionNumber", $"{election} is even; an even number of followers tolerates no more failures than one fewer. Use 1, 3 or 5"));
            }
            else if (election is not (1 or 3 or 5))
            {
                issues.Add(ValidationIssue.Error("spec.feSpec.electionNumber", $"{election} is not supported; use 1, 3 or 5 followers (add observers with more replicas to scale reads)"));
            }

            if (fe.Replicas is not null && election > replicas)
            {
                issues.Add(ValidationIssue.Error("spec.feSpec.electionNumber", $"{election} followers need at least {election} FE pods but replicas is {replicas}; raise feSpec.replicas to {election} or lower electionNumber"));
            }
        }
        else if (fe.Replicas is > 0 and < DorisDefaults.ElectionNumber)
        {
            issues.Add(ValidationIssue.Warning("spec.feSpec.electionNumber", $"unset, so {DorisDefaults.ElectionNumber} followers are expected but only {replicas} FE pods run; {(replicas == 2 ? "two followers tolerate no failure: use 1 or 3 replicas" : "a single FE has no failover")}"));
        }

        if (fe.Replicas == 0 && (spec.BeSpec?.Replicas > 0 || spec.CnSpec?.Replicas > 0 || spec.BrokerSpec?.Replicas > 0))
        {
            issues.Add(ValidationIssue.Warning("spec.feSpec.replicas", "0 frontends: backends cannot register or serve queries until FE pods run"));
        }
    }
}
