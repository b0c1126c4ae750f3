using System.Diagnostics;

namespace Doris.Cli.Tests;

public sealed class ErrorHandlingTests
{
    [Fact]
    public void UnknownOption_IsAUsageErrorExitTwo()
    {
        var run = CliRun.Of("render", "--flie", "x.yaml");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("--flie");
    }

    [Fact]
    public void NoInput_SaysHowToGiveOne()
    {
        var run = CliRun.Of("validate");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("pass a manifest with -f FILE");
    }

    [Fact]
    public void MissingFile_ExitsThreeNamingThePath()
    {
        var run = CliRun.Of("render", "-f", "/no/such/cluster.yaml");

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.Error.ShouldContain("cannot read '/no/such/cluster.yaml'");
        run.HasStackTrace.ShouldBeFalse();
    }

    [Fact]
    public void BrokenYaml_ExitsThreeWithTheLine()
    {
        var run = CliRun.WithInput("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nspec: {feSpec: [1, 2}\n", "validate", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.Error.ShouldContain("-:3:");
        run.HasStackTrace.ShouldBeFalse();
    }

    [Fact]
    public void UnknownExample_ListsTheChoices()
    {
        var run = CliRun.Of("render", "--example", "nope");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("minimal");
    }

    [Fact]
    public void Crd_PrintsTheDefinition()
    {
        var run = CliRun.Of("crd");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        run.Out.ShouldContain("name: dorisclusters.doris.selectdb.com");
        run.Out.ShouldContain("- dcr");
    }

    [Fact]
    public void RealProcess_InvalidManifest_ExitCodeAndCleanStderr()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dorisctl.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "validate", "-f", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: p}\nspec:\n  feSpec: {replicas: 1, image: f, bogus: 1}\n");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        process.ExitCode.ShouldBe(ExitCodes.Invalid);
        stderr.ShouldContain("error: spec.feSpec.bogus: unknown field 'bogus'");
        stderr.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("--resync-period")]
    [InlineData("--watch-health-bound")]
    [InlineData("--stuck-reconcile-bound")]
    public void Operator_ZeroBound_IsAUsageErrorNamingTheFlag(string flag)
    {
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kc-").FullName, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n");

        var run = CliRun.Of("operator", "--kubeconfig", kubeconfig, flag, "0s");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain($"{flag} must be above zero");
        run.HasStackTrace.ShouldBeFalse();
    }

    // Issue 14: a 70-byte self-referencing alias used to end every command with a stack overflow (exit 134).
    [Theory]
    [InlineData("validate")]
    [InlineData("render")]
    [InlineData("eks plan")]
    [InlineData("eks lint")]
    public void SelfReferencingAlias_EveryReadingCommand_IsAOneLineErrorNamingThePlace(string command)
    {
        var run = CliRun.WithInput("a: &m\n  b: *m\n", [.. command.Split(' '), "-f", "-"]);

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.Error.Trim().ShouldBe("error: -:1:4: a.b: an alias refers to a node that contains it, so the document would be infinite; replace the alias with the values it should have");
        run.HasStackTrace.ShouldBeFalse();
    }

    // Issue 14: with stdin closed, descriptor 0 is some file the runtime opened and reading it blocked for ever.
    [Fact]
    public void StdinThatNeverDelivers_IsRefusedAfterTheWaitNotAHang()
    {
        using var never = new StreamReader(new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = DorisCtl.Run(["validate", "-f", "-"], new CliConsole(output, error, new Input.PatientStdin(never, TimeSpan.FromMilliseconds(300))));

        code.ShouldBe(ExitCodes.Unreadable);
        error.ToString().Trim().ShouldBe("error: nothing arrived on stdin within 0 s (is stdin closed?); pipe a manifest into '-f -' or pass '-f FILE'");
    }

    [Fact]
    public void StdinThatDeliversSlowly_IsReadWhole()
    {
        var text = File.ReadAllText(Path.Combine(Doris.Testing.SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        using var slow = new StringReader(text);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = DorisCtl.Run(["validate", "-f", "-"], new CliConsole(output, error, new Input.PatientStdin(slow, TimeSpan.FromSeconds(5))));

        code.ShouldBe(ExitCodes.Success, error.ToString());
    }

    // Issue 14: -f /dev/zero drove the process past 4 GiB.
    [Fact]
    public void EndlessFile_IsRefusedAtTheSizeLimit()
    {
        var run = CliRun.Of("validate", "-f", "/dev/zero");

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.Error.ShouldContain("'/dev/zero' is larger than 16 MiB");
    }
}
