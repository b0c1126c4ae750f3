namespace Doris.Cli.Tests;

/// <summary>Shell completion as bash runs it: the script from <c>dorisctl completion bash</c>, asked for the words after a cursor.</summary>
public sealed class CompletionTests
{
    private static async Task<string[]> CompleteAsync(string line)
    {
        var words = line.Split(' ');
        var script = "source <(dorisctl completion bash); " +
                     $"COMP_LINE='{line}'; COMP_POINT={line.Length}; COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); COMP_CWORD={words.Length - 1}; " +
                     "_dorisctl_complete; printf '%s\\n' \"${COMPREPLY[@]}\"";
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = $"{AppContext.BaseDirectory}:{Environment.GetEnvironmentVariable("PATH")}";
        using var bash = System.Diagnostics.Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        bash.ExitCode.ShouldBe(0, await bash.StandardError.ReadToEndAsync());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Theory]
    [InlineData("dorisctl stat", "status")]
    [InlineData("dorisctl sandbox --example prod", "production")]
    [InlineData("dorisctl status doris -o js", "json")]
    [InlineData("dorisctl eks pl", "plan")]
    [InlineData("dorisctl get no", "node")]
    public async Task BashCompletion_PartialWord_CompletesFromTheCommandTree(string line, string expected) =>
        (await CompleteAsync(line)).ShouldBe([expected]);

    [Fact]
    public async Task BashCompletion_AfterTheCommandName_OffersEveryCommand()
    {
        var all = await CompleteAsync("dorisctl ");

        all.ShouldContain("status");
        all.ShouldContain("operator");
        all.ShouldContain("sandbox");
    }

    [Fact]
    public void Completion_UnknownShell_IsAUsageError()
    {
        var run = CliRun.Of("completion", "fish");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("fish");
    }
}
