using Doris.Operator.Runtime;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Tests;

/// <summary>The start-up warm-up builds the contract the election decodes first; the cached kinds are left to their first object.</summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public void Kinds_TheElectionsLeaseFirst_CachedKindsLeftToTheirFirstObject()
    {
        StartupWarmup.Kinds[0].ShouldBe(typeof(Lease));
        // A fresh install has no Doris StatefulSets or pods: building their contracts at start cost a core for nothing.
        StartupWarmup.Kinds.ShouldNotContain(typeof(StatefulSet));
        StartupWarmup.Kinds.ShouldNotContain(typeof(Pod));
    }

    [Fact]
    public async Task Start_OnItsOwnThread_CompletesAndEveryContractDecodes()
    {
        await StartupWarmup.Start().WaitAsync(TimeSpan.FromSeconds(60));

        // Run again on this thread: every contract decodes and encodes the sample without throwing.
        Should.NotThrow(StartupWarmup.Run);
    }
}
