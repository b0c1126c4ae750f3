namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>A served resource: its group/version/kind, URL plural, scope and whether status is a separate subresource.</summary>
/// <remarks>
/// Two values name the same resource when group, version and plural agree. Record equality would also compare the
/// short-name list by reference, so a CRD deleted and created again would become a different resource to every
/// open watch and stored object, and watchers would silently stop receiving its events.
/// </remarks>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, string Singular, bool Namespaced, bool HasStatusSubresource, IReadOnlyList<string> ShortNames)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The group-qualified plural (<c>statefulsets.apps</c>), as error messages and RBAC name resources.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    /// <summary>The CRD's scale subresource (where the replicas and the pod selector live), or null.</summary>
    public ScaleSubresource? Scale { get; init; }

    public bool Equals(ResourceType? other) =>
        other is not null && Group == other.Group && Version == other.Version && Plural == other.Plural;

    public override int GetHashCode() => HashCode.Combine(Group, Version, Plural);
}

/// <summary>JSON paths (<c>.spec.cnSpec.replicas</c>) that a custom resource's <c>/scale</c> maps to an autoscaling/v1 Scale.</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
