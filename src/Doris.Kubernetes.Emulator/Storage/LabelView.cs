using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>
/// An object's labels read in place from its stored JSON: a selector is checked against every stored object a list
/// walks and, for every open watch, against each changed object twice (before and after), so copying the labels into
/// a dictionary each time was a large share of a busy emulator's work.
/// </summary>
internal sealed class LabelView(JsonObject? labels) : IReadOnlyDictionary<string, string>
{
    public int Count => labels?.Count ?? 0;

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<string> Values => this.Select(kv => kv.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no label {key}");

    public bool ContainsKey(string key) => labels?.ContainsKey(key) == true;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (labels is not null && labels.TryGetPropertyValue(key, out var node))
        {
            value = ObjectStore.Str(node) ?? string.Empty;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        (labels ?? []).Select(kv => KeyValuePair.Create(kv.Key, ObjectStore.Str(kv.Value) ?? string.Empty)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
