using Doris.Operator.Cluster;
using Doris.Operator.Runtime;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Tests;

/// <summary>The start-up warm-up builds the contracts the leader needs first; its list must follow the caches.</summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public void Kinds_EveryKindTheCachesKeepAndTheLease_Covered()
    {
        var cached = typeof(CachedClusterView).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Informer<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0])
            .ToList();

        cached.Count.ShouldBeGreaterThanOrEqualTo(8); // the test reads the view's informers, not a copy of the list
        StartupWarmup.Kinds.ShouldContain(typeof(Lease));
        foreach (var kind in cached)
        {
            StartupWarmup.Kinds.ShouldContain(kind, $"{kind.Name} is cached by CachedClusterView but not warmed at start-up");
        }
    }

    [Fact]
    public async Task Start_OnItsOwnThread_CompletesAndEveryContractDecodes()
    {
        await StartupWarmup.Start().WaitAsync(TimeSpan.FromSeconds(60));

        // Run again on this thread: every contract decodes and encodes the sample without throwing.
        Should.NotThrow(StartupWarmup.Run);
    }
}
