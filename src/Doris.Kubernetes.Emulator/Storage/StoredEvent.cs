using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>One change in the store's history: ADDED, MODIFIED or DELETED, with the object as it was after the change.</summary>
public sealed record StoredEvent(long ResourceVersion, string Type, ResourceType Resource, string? Namespace, JsonObject Object);
