using Doris.Operator.Runtime;

namespace Doris.Operator.Tests;

/// <summary>The process's age from /proc: fields counted after the command name, which may hold spaces and parentheses.</summary>
public sealed class ProcessAgeTests
{
    // starttime (field 22) is 241836 ticks = 2418.36 s after boot.
    private const string Stat = "9613 (dorisctl) op) S 1 9613 9613 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 241836 8548 4624 18446744073709551615";

    [Fact]
    public void Parse_CommandWithSpaceAndParenthesis_AgeFromBootClock() =>
        ProcessAge.Parse(Stat, "2419.11 2265.03\n").ShouldNotBeNull().TotalMilliseconds.ShouldBe(750, 1);

    [Theory]
    [InlineData("garbage", "2419.11 2265.03")]
    [InlineData(Stat, "")]
    [InlineData(Stat, "2000.00 1.00")] // before the process started: not a real reading
    public void Parse_Unexpected_Null(string stat, string uptime) => ProcessAge.Parse(stat, uptime).ShouldBeNull();

    [Fact]
    public void Now_OnThisLinuxMachine_SmallAndPositive() =>
        ProcessAge.Now().ShouldNotBeNull().ShouldBeInRange(TimeSpan.Zero, TimeSpan.FromHours(1));
}
