using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Doris.Kubernetes.Emulator;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// A fuzz-style property: thousands of seeded mutations of the shipped examples (bytes flipped, lines dropped,
/// doubled or re-indented, YAML's sharp tokens inserted) through read → validate → render, the EKS linter and the
/// emulator. Whatever the input, the answer is a result or a named error: never exit 70, never a 5xx, never a
/// run that hangs. The seed is in every failure message, so a failure replays.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Seed = 20261201;
    private static readonly TimeSpan PerRun = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static readonly string[] Tokens =
    [
        "&a ", "*a", "<<: *a", "[", "]", "{", "}", "'", "\"", "- ", ": ", "\t", "\0", "!!binary ", "!!int ", "? ", "|", ">", "#", "%YAML 1.1\n---\n",
        "99999999999999999999999999", "-1", "0x7fffffffffffffff", "1e309", "05e3", ".nan", "~", "null", "yes", "Ei", "\u202e", "\ud83d\ude00", "\n---\n",
    ];

    private static IReadOnlyList<(string Name, string Text)> Examples(string dir) =>
        [.. Directory.GetFiles(Path.Combine(SharedFiles.RepositoryRoot, "examples", dir), "*.yaml").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))];

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var i = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(i, lines[i]);
                    break;
                case 2:
                    lines[i] = new string(' ', random.Next(0, 9)) + lines[i].TrimStart();
                    break;
                case 3:
                    var at = random.Next(lines[i].Length + 1);
                    lines[i] = lines[i][..at] + Tokens[random.Next(Tokens.Length)] + lines[i][at..];
                    break;
                case 4 when lines[i].Length > 0:
                    var chars = lines[i].ToCharArray();
                    chars[random.Next(chars.Length)] = (char)random.Next(1, 0x7f);
                    lines[i] = new string(chars);
                    break;
                case 5 when lines[i].Contains(": ", StringComparison.Ordinal):
                    lines[i] = lines[i][..(lines[i].IndexOf(": ", StringComparison.Ordinal) + 2)] + Tokens[random.Next(Tokens.Length)];
                    break;
                default:
                    lines.Insert(i, lines[random.Next(lines.Count)]);
                    break;
            }
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public void Mutations_ThroughValidateRenderAndLint_NeverCrashOrHang()
    {
        var random = new Random(Seed);
        var clusters = Examples(string.Empty);
        var blueprints = Examples("eks");
        var clock = Stopwatch.StartNew();
        var runs = 0;
        for (var i = 0; i < 3000 && clock.Elapsed < Deadline; i++)
        {
            var blueprint = i % 4 == 3;
            var (name, text) = blueprint ? blueprints[random.Next(blueprints.Count)] : clusters[random.Next(clusters.Count)];
            var mutated = Mutate(text, random);
            string[] args = blueprint ? ["eks", "lint", "-f", "-"] : i % 2 == 0 ? ["validate", "-f", "-"] : ["render", "-f", "-"];
            var started = clock.Elapsed;

            var run = CliRun.WithInput(mutated, args);

            var what = $"seed {Seed}, mutation {i} of {name} through '{string.Join(' ', args)}'";
            run.ExitCode.ShouldBeOneOf([ExitCodes.Success, ExitCodes.Invalid, ExitCodes.Unreadable], $"{what}\n{run.Error}\n--- input ---\n{mutated}");
            run.HasStackTrace.ShouldBeFalse(what);
            (clock.Elapsed - started).ShouldBeLessThan(PerRun, what);
            runs++;
        }

        runs.ShouldBeGreaterThanOrEqualTo(1000, "the deadline cut the property short: it proved too little");
        GC.GetTotalMemory(forceFullCollection: true).ShouldBeLessThan(512L * 1024 * 1024, "nothing a mutation did stayed behind");
    }

    [Fact]
    public async Task Mutations_AsDorisClusterBodies_AreCreatedOrRefusedWith4xx()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, Tls = false }, TimeProvider.System, default);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = PerRun };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.BearerToken);
        var crd = Kubernetes.Serialization.YamlWriter.Write(System.Text.Json.JsonSerializer.SerializeToNode(Api.Crd.DorisClusterCrd.Build(), Kubernetes.Serialization.KubernetesJsonContext.Default.CustomResourceDefinition));
        (await http.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", new StringContent(crd, Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();
        const string Clusters = "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters";
        var random = new Random(Seed);
        var examples = Examples(string.Empty);
        var clock = Stopwatch.StartNew();
        var created = 0;
        var runs = 0;
        for (var i = 0; i < 1500 && clock.Elapsed < Deadline; i++)
        {
            var (name, text) = examples[random.Next(examples.Count)];
            var mutated = Mutate(text, random);
            var started = clock.Elapsed;
            using var content = new StringContent(mutated, Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/yaml");

            using var response = await http.PostAsync(Clusters, content);

            var code = (int)response.StatusCode;
            var what = $"seed {Seed}, mutation {i} of {name}: {await response.Content.ReadAsStringAsync()}";
            code.ShouldBeLessThan(500, what);
            (clock.Elapsed - started).ShouldBeLessThan(PerRun, what);
            if (code == 201)
            {
                created++;
                var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                (await http.DeleteAsync($"{Clusters}/{body["metadata"]!["name"]}")).EnsureSuccessStatusCode();
            }

            runs++;
        }

        runs.ShouldBeGreaterThanOrEqualTo(500, "the deadline cut the property short");
        created.ShouldBeGreaterThan(0, "some mutations are still valid clusters: the property also covers the accepting path");
        (await http.GetAsync(Clusters)).EnsureSuccessStatusCode();
    }
}
