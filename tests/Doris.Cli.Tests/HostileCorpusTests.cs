using System.Net.Http.Headers;
using Doris.Kubernetes.Emulator;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// The checked-in corpus of hostile inputs (<c>tests/corpus/hostile</c>: alias bombs, 100,000 levels of nesting,
/// binary, non-mapping documents, impossible values, ...) through every command that reads input (the sandbox's
/// --placement and --fleet files too) and through the
/// emulator's HTTP API. No crash, no exit 70, each run within a time and memory bound, each exit code the one
/// <c>expected-exit-codes.tsv</c> records.
/// </summary>
public sealed class HostileCorpusTests
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(30);
    private static readonly long MemoryBound = 640L * 1024 * 1024; // the 512 MiB heap cap plus the runtime itself

    private static string Corpus => Path.Combine(SharedFiles.RepositoryRoot, "tests", "corpus", "hostile");

    private static Dictionary<string, int[]> Expected() => File.ReadLines(Path.Combine(Corpus, "expected-exit-codes.tsv"))
        .Where(l => !l.StartsWith('#') && l.Length > 0)
        .Select(l => l.Split('\t'))
        .ToDictionary(p => p[0], p => p[1..].Select(int.Parse).ToArray());

    private static IEnumerable<string> Names() => Directory.GetFiles(Corpus, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static TheoryData<string> Files() => [.. Names()];

    [Fact]
    public void Corpus_EveryFileHasAnExpectation() =>
        Expected().Keys.Order(StringComparer.Ordinal).ShouldBe(Names());

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Corpus_EveryCommand_ExitsAsRecordedWithinBounds(string file)
    {
        var path = Path.Combine(Corpus, file);
        var planned = Directory.CreateTempSubdirectory("hostile-plan-").FullName;
        string[][] commands = [["validate", "-f", path], ["render", "-f", path], ["eks", "plan", "-f", path, "-o", planned], ["eks", "lint", "-f", path]];
        var expected = Expected()[file];

        for (var i = 0; i < commands.Length; i++)
        {
            var run = await ProcessRun.RunAsync(RunBound, commands[i]);
            Bounded(run, string.Join(' ', commands[i][..^1]));
            run.ExitCode.ShouldBe(expected[i], $"{string.Join(' ', commands[i])}\n{run.Error}");
        }

        // The sandbox reads the same way; a valid cluster may simply not be Ready in the 3 s it is given.
        var sandbox = await ProcessRun.RunAsync(RunBound, "sandbox", "-f", path, "--until-ready", "--timeout", "00:00:03", "--kubeconfig-out", Path.Combine(planned, "kc"));
        Bounded(sandbox, "sandbox");
        sandbox.ExitCode.ShouldBeOneOf(expected[0] == 0 ? [0, 4] : [expected[0]]);

        // The sandbox's other inputs: as a placement snippet and as a fleet blueprint, each file is refused before
        // anything starts, unreadable (3) or invalid (1) as eks lint finds it.
        foreach (var flag in new[] { "--placement", "--fleet" })
        {
            var run = await ProcessRun.RunAsync(RunBound, "sandbox", "--example", "minimal", flag, path, "--until-ready", "--timeout", "00:00:03", "--kubeconfig-out", Path.Combine(planned, "kc"));
            Bounded(run, $"sandbox {flag}");
            run.ExitCode.ShouldBe(expected[3], $"sandbox {flag} {file}\n{run.Error}");
            run.Error.ShouldContain($"{flag} {path}", Case.Sensitive, $"sandbox {flag} {file}: the error names the option and the file");
        }
    }

    [Fact]
    public async Task Corpus_AsRequestBodies_EveryOneIsA4xxStatusAndTheServerKeepsServing()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, Tls = false }, TimeProvider.System, default);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = RunBound };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.BearerToken);
        (await http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target"}}""", MediaTypeHeaderValue.Parse("application/json")))).EnsureSuccessStatusCode();

        foreach (var file in Directory.GetFiles(Corpus, "*.yaml"))
        {
            var body = await File.ReadAllBytesAsync(file);
            foreach (var (method, url, type) in new[]
            {
                (HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "application/yaml"),
                (HttpMethod.Put, "/api/v1/namespaces/default/configmaps/target", "application/yaml"),
                (HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/target", "application/merge-patch+json"),
                (HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/target", "application/json-patch+json"),
            })
            {
                using var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();

                var code = (int)response.StatusCode;
                code.ShouldBeInRange(400, 499, $"{method} {Path.GetFileName(file)} as {type}: {text}");
                text.ShouldContain("\"kind\":\"Status\"", customMessage: $"{Path.GetFileName(file)}: every failure is a Status with a message");
            }
        }

        (await http.GetAsync("/api/v1/namespaces/default/configmaps/target")).EnsureSuccessStatusCode();
        GC.GetTotalMemory(forceFullCollection: true).ShouldBeLessThan(MemoryBound);
    }

    private static void Bounded(ProcessRun run, string what)
    {
        run.TimedOut.ShouldBeFalse($"{what} ran past {RunBound}");
        run.ExitCode.ShouldNotBe(ExitCodes.Internal, $"{what}: {run.Error}");
        run.Error.ShouldNotContain("internal error", Case.Sensitive, what);
        run.Error.ShouldNotContain("   at ", Case.Sensitive, $"{what}: a stack trace reached the user");
        run.PeakBytes.ShouldBeLessThan(MemoryBound, $"{what} peaked at {run.PeakBytes / (1024 * 1024)} MiB");
    }
}
