using Doris.Operator.Runtime;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>When the operator gives memory back: idle, a gap worth it, new allocation since, not too often.</summary>
public sealed class MemoryTrimTests
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MemoryTrimPolicy Policy = new();

    [Fact]
    public void ShouldTrim_IdleWithALargeGap_Trims() =>
        Policy.ShouldTrim(idle: true, new GcMemory(122 * MiB, 43 * MiB, 1000 * MiB), null, T0, null).ShouldBeTrue();

    [Fact]
    public void ShouldTrim_Busy_Waits() =>
        Policy.ShouldTrim(idle: false, new GcMemory(122 * MiB, 43 * MiB, 1000 * MiB), null, T0, null).ShouldBeFalse();

    [Fact]
    public void ShouldTrim_SmallGap_LeavesItAlone() =>
        Policy.ShouldTrim(idle: true, new GcMemory(60 * MiB, 43 * MiB, 1000 * MiB), new GcMemory(44 * MiB, 43 * MiB, 100 * MiB), T0.AddHours(1), T0)
            .ShouldBeFalse();

    // Before the first GC the GC reports nothing committed: the heap now (start-up's garbage) is the gap.
    [Fact]
    public void ShouldTrim_FirstIdleAfterStartUp_TrimsStartUpGarbage()
    {
        var startUp = new GcMemory(Committed: 0, HeapAfterLastGc: 0, Allocated: 9 * MiB, HeapNow: 9 * MiB);

        Policy.ShouldTrim(idle: true, startUp, null, T0, null).ShouldBeTrue();
        Policy.ShouldTrim(idle: false, startUp, null, T0, null).ShouldBeFalse("busy");
        Policy.ShouldTrim(idle: true, startUp with { Allocated = 2 * MiB, HeapNow = 2 * MiB }, null, T0, null).ShouldBeFalse("too little to give back");
        Policy.ShouldTrim(idle: true, startUp, startUp, T0.AddHours(1), T0).ShouldBeFalse("once only: later trims need the large gap");
    }

    [Fact]
    public void ShouldTrim_TooSoonOrTooLittleAllocatedSinceTheLast_Waits()
    {
        var last = new GcMemory(50 * MiB, 43 * MiB, 1000 * MiB);
        var now = new GcMemory(122 * MiB, 43 * MiB, 1200 * MiB);

        Policy.ShouldTrim(true, now, last, T0.AddSeconds(30), T0).ShouldBeFalse("within a minute of the last");
        Policy.ShouldTrim(true, now with { Allocated = 1010 * MiB }, last, T0.AddMinutes(5), T0).ShouldBeFalse("little allocated since");
        Policy.ShouldTrim(true, now, last, T0.AddMinutes(5), T0).ShouldBeTrue();
    }

    [Fact]
    public void Trimmer_BurstRightAfterTheStartUpTrim_TrimmedAtTheNextIdleCheck()
    {
        var time = new ManualTimeProvider(T0);
        var memory = new GcMemory(Committed: 0, HeapAfterLastGc: 0, Allocated: 9 * MiB, HeapNow: 9 * MiB);
        var trimmer = new MemoryTrimmer(Policy, () => true, time, () => memory, () => memory = memory with { Committed = memory.HeapAfterLastGc + MiB });

        trimmer.Check().ShouldBeTrue("start-up garbage");
        memory = new GcMemory(Committed: 180 * MiB, HeapAfterLastGc: 60 * MiB, Allocated: 900 * MiB);
        time.Advance(TimeSpan.FromSeconds(10));

        trimmer.Check().ShouldBeTrue("a burst 10 s after the start-up trim is not held for the interval");
        memory = memory with { Committed = 180 * MiB, Allocated = 2000 * MiB };
        time.Advance(TimeSpan.FromSeconds(10));
        trimmer.Check().ShouldBeFalse("after a real trim the interval holds");
        trimmer.Trims.ShouldBe(2);
    }

    // Against the real GC: after a burst of garbage, a trim leaves less committed than before.
    [Fact]
    public void Trimmer_AfterABurst_CollectsOnceAndGivesMemoryBack()
    {
        var junk = new List<byte[]>();
        for (var i = 0; i < 400; i++)
        {
            junk.Add(new byte[256 * 1024]);
        }

        junk.Clear();
        var before = GcMemory.Now();
        var trimmer = new MemoryTrimmer(Policy with { MinimumGap = 0 }, () => true, TimeProvider.System);

        trimmer.Check().ShouldBeTrue();
        trimmer.Check().ShouldBeFalse("not again within the interval");

        trimmer.Trims.ShouldBe(1);
        GcMemory.Now().Committed.ShouldBeLessThan(before.Committed);
    }
}
