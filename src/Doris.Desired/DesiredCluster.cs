using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>Everything a DorisCluster should own, in apply order, plus what the builder had to assume.</summary>
public sealed record DesiredCluster(IReadOnlyList<IKubernetesObject> Objects, IReadOnlyList<string> Warnings);
