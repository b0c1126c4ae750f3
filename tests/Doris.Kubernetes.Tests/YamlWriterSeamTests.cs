using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Kubernetes.Tests;

/// <summary>
/// What we write is read by other tools: kubectl (go-yaml, through <c>kubectl kustomize</c>) and PyYAML (YAML 1.1,
/// the strictest about booleans, octals and sexagesimals). Every string we write must reach them as that string.
/// Both are CI prerequisites (.ci/run installs kubernetes-client and python3-yaml), never skipped.
/// </summary>
public sealed class YamlWriterSeamTests
{
    // Strings that some YAML reader takes for a number, a boolean, null, infinity, a date or a merge key.
    private static readonly string[] Tricky =
    [
        "05e3", "05837816576613e0", "0123", "-007", "1_000", "1e3", "0x1F", "0o17", "0b101", ".inf", "-.Inf", ".NaN", "1:20", "190:20:30",
        "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "", "=", "<<", "2026-12-01", "2026-12-01T10:00:00Z", "12.5", "+1", ".5",
        "8", "-3", "0", "1.", "16Gi", "3.0", "doris-2.1.8", "a: b", "- x", "#c", "*x", "&a", "!t", "%p", "@x", "`x", "|", ">", "'q'", "\"dq\"",
    ];

    private static JsonObject ConfigMap() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "tricky" },
        ["data"] = new JsonObject(Tricky.Select((v, i) => KeyValuePair.Create($"k{i}", (JsonNode?)JsonValue.Create(v)))),
    };

    [Fact]
    public async Task Write_TrickyStrings_PyYamlReadsEveryOneAsThatString()
    {
        var dir = Directory.CreateTempSubdirectory("yaml-seam-");
        var file = Path.Combine(dir.FullName, "cm.yaml");
        await File.WriteAllTextAsync(file, YamlWriter.Write(ConfigMap()));

        var (code, output, error) = await RunAsync(Doris.Testing.Python.Executable, "-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))['data'], default=repr))", file);

        code.ShouldBe(0, error);
        AssertSameStrings(JsonNode.Parse(output)!.AsObject(), "PyYAML");
    }

    [Fact]
    public async Task Write_TrickyStrings_KubectlKustomizeKeepsEveryOneAString()
    {
        var dir = Directory.CreateTempSubdirectory("yaml-seam-");
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "cm.yaml"), YamlWriter.Write(ConfigMap()));
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "kustomization.yaml"), "resources:\n- cm.yaml\n");

        var (code, output, error) = await RunAsync("kubectl", "kustomize", dir.FullName);

        // kustomize turns the ConfigMap into JSON on the way (a number would stay a number, +Inf would fail) and
        // quotes what it holds as a string wherever go-yaml would read it otherwise.
        code.ShouldBe(0, error);
        AssertSameStrings(YamlReader.Read(output, "kustomize")[0].Root!["data"]!.AsObject(), "kubectl kustomize");
    }

    private static void AssertSameStrings(JsonObject data, string tool)
    {
        for (var i = 0; i < Tricky.Length; i++)
        {
            var value = data[$"k{i}"];
            value.ShouldNotBeNull($"{tool} lost '{Tricky[i]}'");
            value.GetValueKind().ShouldBe(JsonValueKind.String, $"{tool} read '{Tricky[i]}' as {value.ToJsonString()}");
            value.GetValue<string>().ShouldBe(Tricky[i], $"{tool} changed the string");
        }
    }

    private static Task<(int Code, string Out, string Error)> RunAsync(string file, params string[] args) => Tool.RunAsync(file, args, TimeSpan.FromSeconds(60));
}
