using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>A page of a list: the items, the resourceVersion to watch from, and the token for the next page.</summary>
public sealed record ListResult(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue);
