using Doris.Cli.Input;

namespace Doris.Cli.Tests;

/// <summary>Durations in Go's form (what kubectl, Helm charts and upstream's flags use) on every flag that takes one.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("2m3.5s", 123_500)]
    [InlineData(".5s", 500)]
    [InlineData("1500us", 1.5)]
    [InlineData("0", 0)]
    [InlineData("+10s", 10_000)]
    [InlineData("00:05:00", 300_000)]
    public void GoDuration_ValidForms_ParseAsGoDoes(string text, double milliseconds)
    {
        GoDuration.TryParse(text, out var value).ShouldBeTrue(text);
        value.TotalMilliseconds.ShouldBe(milliseconds, 0.001);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("")]
    [InlineData("-5m")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("1.2.3s")]
    [InlineData("1h 30m")]
    [InlineData("-00:01:00")]
    [InlineData("99999999999999h")]
    public void GoDuration_InvalidForms_AreRefused(string text) => GoDuration.TryParse(text, out _).ShouldBeFalse(text);

    [Theory]
    [InlineData(300_000, "5m")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(60_000, "1m")]
    [InlineData(1_500, "1.5s")]
    [InlineData(0, "0s")]
    public void GoDuration_Format_RoundTrips(double milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        GoDuration.Format(value).ShouldBe(expected);
        GoDuration.TryParse(expected, out var back).ShouldBeTrue();
        back.ShouldBe(value);
    }

    [Fact]
    public void SandboxTimeout_NotADuration_IsAUsageErrorNamingFlagValueAndForm()
    {
        var run = CliRun.Of("sandbox", "--example", "minimal", "--until-ready", "--timeout", "3x");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("--timeout: '3x' is not a duration");
        run.Error.ShouldContain("1h30m");
        run.HasStackTrace.ShouldBeFalse();
    }

    [Theory]
    [InlineData("--resync-period", "10m")]
    [InlineData("--watch-health-bound", "1m")]
    [InlineData("--stuck-reconcile-bound", "5m")]
    public void OperatorHelp_DurationFlags_ShowGoDefaults(string flag, string fallback)
    {
        var run = CliRun.Of("operator", "--help");

        run.ExitCode.ShouldBe(0);
        run.Out.ShouldContain(flag);
        run.Out.ShouldContain($"(default {fallback})");
    }
}
