using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>Field selectors every resource supports: <c>metadata.name</c> and <c>metadata.namespace</c>, with = and !=.</summary>
internal static class FieldSelector
{
    public static Func<JsonObject, bool> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return _ => true;
        }

        var terms = new List<Func<JsonObject, bool>>();
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2)
            {
                throw ApiError.BadRequest($"invalid field selector: '{term}'");
            }

            var (field, value) = (parts[0].Trim(), parts[1].Trim());
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            var leaf = field["metadata.".Length..];
            terms.Add(o => (ObjectStore.Str(o["metadata"]?[leaf]) == value) != negate);
        }

        return o => terms.All(t => t(o));
    }
}
