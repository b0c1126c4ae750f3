using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Validation;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Input;

/// <summary>Reads the files named with <c>-f</c> (or <c>-</c> for stdin, or a built-in example) and sorts their documents.</summary>
internal static class ManifestInputs
{
    /// <param name="readsDisaggregated">Whether the command handles DorisDisaggregatedClusters; others pass them over with a warning.</param>
    public static LoadedInputs Load(IReadOnlyList<string> files, string? example, TextReader stdin, bool readsDisaggregated = false)
    {
        var sources = new List<(string Name, string Text)>();
        if (example is not null)
        {
            sources.Add(($"example:{example}", EmbeddedExamples.Read(example)));
        }

        foreach (var file in files)
        {
            sources.Add((file, ReadFile(file, stdin)));
        }

        if (sources.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, "no input: pass a manifest with -f FILE (or -f - for stdin), or a built-in one with --example " + string.Join("|", EmbeddedExamples.Names));
        }

        var clusters = new List<ReadResult>();
        var disaggregated = new List<Doris.Api.Validation.Disaggregated.DisaggregatedReadResult>();
        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        var secrets = new List<Secret>();
        var statefulSets = new List<JsonObject>();
        var services = new List<JsonObject>();
        var other = new List<ValidationIssue>();
        foreach (var (name, text) in sources)
        {
            IReadOnlyList<ManifestDocument> documents;
            try
            {
                documents = YamlReader.Read(text, name);
            }
            catch (ManifestException e)
            {
                throw new CliException(ExitCodes.Unreadable, e.Message);
            }

            foreach (var document in documents.SelectMany(d => d.Expand()))
            {
                if (document.Root is not JsonObject)
                {
                    other.Add(ValidationIssue.Error("<document>", $"the document is {Describe(document.Root)}, not a Kubernetes object; each document must be a mapping with apiVersion, kind and metadata (separate documents with '---', not a list)") with { Location = document.Start });
                    continue;
                }

                var kind = document.Root is JsonObject o && o["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
                switch (kind)
                {
                    case "ConfigMap":
                        ReadConfigMap(document, configMaps, other);
                        break;
                    case "DorisCluster":
                        clusters.Add(DorisClusterReader.Read(document));
                        break;
                    // a DorisDisaggregatedCluster under DorisCluster's API group is a mix-up: reported below as one
                    case "DorisDisaggregatedCluster" when readsDisaggregated && !InDorisClusterGroup(document):
                        disaggregated.Add(Doris.Api.Validation.Disaggregated.DisaggregatedClusterReader.Read(document));
                        break;
                    case "DorisDisaggregatedCluster" when !InDorisClusterGroup(document):
                        other.Add(ValidationIssue.Warning("kind", $"DorisDisaggregatedCluster '{document.Root?["metadata"]?["name"]}' passed over: only dorisctl validate, render and sandbox read it") with { Location = document.Start });
                        break;
                    case "Secret" when SecretReader.Read(document, other) is { } secret:
                        secrets.Add(secret);
                        break;
                    case "Secret":
                        break;
                    case "StatefulSet" when document.Root is JsonObject live && (string?)live["apiVersion"] == "apps/v1":
                        statefulSets.Add(live);
                        other.Add(ValidationIssue.Warning("kind", $"StatefulSet '{live["metadata"]?["name"]}' read as a live object (only 'dorisctl adopt' and 'dorisctl sandbox --handover' use it)") with { Location = document.Start });
                        break;
                    case "Service" when document.Root is JsonObject service && (string?)service["apiVersion"] == "v1":
                        services.Add(service);
                        other.Add(ValidationIssue.Warning("kind", $"Service '{service["metadata"]?["name"]}' read as a live object (only 'dorisctl sandbox --handover' uses it)") with { Location = document.Start });
                        break;
                    default:
                        other.Add(Unrelated(document, kind));
                        break;
                }
            }
        }

        return new LoadedInputs(clusters, configMaps, [.. other, .. Duplicates(clusters)]) { Secrets = secrets, StatefulSets = statefulSets, Services = services, DisaggregatedClusters = disaggregated };
    }

    // Two documents for one cluster: applying both would make the second silently replace the first.
    private static IEnumerable<ValidationIssue> Duplicates(List<ReadResult> clusters)
    {
        var seen = new Dictionary<(string, string), ReadResult>();
        foreach (var result in clusters.Where(c => c.Cluster?.Metadata?.Name is { Length: > 0 }))
        {
            var key = (result.Cluster!.Metadata!.Namespace ?? string.Empty, result.Cluster.Metadata.Name!);
            if (seen.TryGetValue(key, out var first))
            {
                var at = first.Location is { } location ? $" (first at {location})" : string.Empty;
                yield return ValidationIssue.Error("metadata.name", $"DorisCluster '{key.Item2}'{(key.Item1.Length > 0 ? $" in namespace '{key.Item1}'" : string.Empty)} is defined twice{at}; keep one document per cluster or rename one") with { Location = result.Location };
            }
            else
            {
                seen[key] = result;
            }
        }
    }

    private static bool InDorisClusterGroup(ManifestDocument document) =>
        document.Root?["apiVersion"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith(Api.Crd.DorisClusterCrd.Group + "/", StringComparison.Ordinal);

    /// <summary>What a document that is not a mapping is, in the user's words.</summary>
    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null (empty)",
        JsonArray a => $"a list of {a.Count} item(s)",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "a plain string",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => $"the number {v.ToJsonString()}",
        JsonValue v => $"the value {v.ToJsonString()}",
        _ => "a mapping",
    };

    /// <summary>
    /// Files that apply a cluster often carry its Secrets or Namespace too: those are passed over with a
    /// warning. A document that is almost a DorisCluster (our API group, a kind typo, no kind) is an error.
    /// </summary>
    private static ValidationIssue Unrelated(ManifestDocument document, string? kind)
    {
        var apiVersion = document.Root?["apiVersion"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : string.Empty;
        var issue = kind is null || apiVersion.StartsWith(Api.Crd.DorisClusterCrd.Group, StringComparison.Ordinal)
            ? ValidationIssue.Error("kind", kind == Api.Crd.DorisDisaggregatedClusterCrd.Kind
                ? $"'{kind}' is not a DorisCluster; set kind: DorisCluster, or apiVersion: {Api.Crd.DorisDisaggregatedClusterCrd.ApiVersion} for a storage-compute separated cluster"
                : $"'{kind ?? "<missing>"}' is not a DorisCluster; set kind: DorisCluster (or pass only DorisCluster manifests and the ConfigMaps they reference)")
            : ValidationIssue.Warning("kind", $"{kind} '{document.Root?["metadata"]?["name"]}' passed over: only DorisCluster, ConfigMap and Secret documents are read");
        return issue with { Location = document.Start };
    }

    private static void ReadConfigMap(ManifestDocument document, Dictionary<string, ConfigMap> configMaps, List<ValidationIssue> issues)
    {
        ConfigMap? configMap = null;
        try
        {
            configMap = document.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap);
        }
        catch (JsonException e)
        {
            issues.Add(ValidationIssue.Error(e.Path?.TrimStart('$', '.') ?? "<document>", $"not a valid ConfigMap: {e.Message}") with { Location = document.Start });
            return;
        }

        if (configMap?.Metadata?.Name is not { Length: > 0 } name)
        {
            issues.Add(ValidationIssue.Error("metadata.name", "the ConfigMap has no name; name it as configMapInfo refers to it") with { Location = document.Start });
            return;
        }

        configMaps[name] = configMap;
    }

    /// <summary>The text of <c>-f PATH</c>, or of stdin for <c>-f -</c>; an unreadable or endless input is a user error naming it.</summary>
    public static string ReadFile(string path, TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        if (path == "-")
        {
            return ReadBounded(stdin, "stdin");
        }

        if (Directory.Exists(path))
        {
            throw new CliException(ExitCodes.Unreadable, $"'{path}' is a directory; pass the manifest files in it (e.g. -f {Path.Combine(path, "cluster.yaml")}, or one -f per file)");
        }

        try
        {
            using var reader = new StreamReader(path);
            return ReadBounded(reader, $"'{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException(ExitCodes.Unreadable, $"cannot read '{path}': {e.Message.TrimEnd('.')}; check the path and permissions");
        }
    }

    // Read in chunks so that /dev/zero or a multi-gigabyte file is refused at the limit, not after filling memory.
    private static string ReadBounded(TextReader reader, string name)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[81920];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            var most = Doris.Kubernetes.Serialization.ReadLimits.Current.MaxInputChars;
            if (text.Length > most)
            {
                throw new CliException(ExitCodes.Unreadable, $"{name} is larger than {InputLimitOptions.Size(most)} (--max-input-size); no manifest is that large (a device such as /dev/zero, or a binary file?); pass the manifest itself, or raise the limit");
            }
        }

        return text.ToString();
    }
}
