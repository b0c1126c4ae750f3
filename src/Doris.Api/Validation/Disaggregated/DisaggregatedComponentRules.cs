using Doris.Api.Disaggregated;

namespace Doris.Api.Validation.Disaggregated;

/// <summary>Rules for the fields the meta service, FE and compute groups share.</summary>
internal static class DisaggregatedComponentRules
{
    private static readonly string[] ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer"];

    public static void Check(DisaggregatedComponentSpec spec, string path, string what, bool spotAllowed, List<ValidationIssue> issues)
    {
        if (spec.Replicas is > PhysicalBounds.MaxReplicas)
        {
            issues.Add(ValidationIssue.Error(path + ".replicas", $"{spec.Replicas} is more pods than a Kubernetes cluster can run; use {PhysicalBounds.MaxReplicas} or fewer"));
        }

        ComponentRules.CheckImage(spec.Image, path + ".image", issues);
        ComponentRules.CheckResources(spec.Requests, spec.Limits, path, issues);
        if (!spotAllowed && spec.SpotPolicy is "preferred" or "required")
        {
            issues.Add(ValidationIssue.Warning(path + ".spotPolicy", $"'{spec.SpotPolicy}' puts {what} pods on Spot nodes, which can be reclaimed with two minutes' notice; keep them on on-demand capacity (avoid, the default) and put compute groups on Spot"));
        }

        if (spec.ReadinessProbePolicy is { } readiness)
        {
            ComponentRules.NotNegative(readiness.TimeoutSeconds, path + ".readinessProbePolicy.timeoutSeconds", issues);
            ComponentRules.NotNegative(readiness.FailureThreshold, path + ".readinessProbePolicy.failureThreshold", issues);
            ComponentRules.NotNegative(readiness.PeriodSeconds, path + ".readinessProbePolicy.periodSeconds", issues);
        }

        ComponentRules.CheckLabels(spec.Labels, path + ".labels", labelValues: true, issues);
        ComponentRules.CheckLabels(spec.NodeSelector, path + ".nodeSelector", labelValues: true, issues);
        ComponentRules.CheckLabels(spec.Annotations, path + ".annotations", labelValues: false, issues);
        ComponentRules.CheckEnv(spec.EnvVars ?? [], path + ".envVars", issues);
        ComponentRules.CheckTolerations(spec.Tolerations ?? [], path + ".tolerations", issues);
        if (spec.ServiceAccount is { Length: > 0 } sa && !KubernetesNames.IsDns1123Subdomain(sa))
        {
            issues.Add(ValidationIssue.Error(path + ".serviceAccount", $"'{sa}' is not a valid ServiceAccount name; use lowercase letters, digits, '-' and '.'"));
        }

        if (spec.Service is { } service)
        {
            if (service.Type is { Length: > 0 } type && !ServiceTypes.Contains(type, StringComparer.Ordinal))
            {
                issues.Add(ValidationIssue.Error(path + ".service.type", $"'{type}' is not a Service type here; use ClusterIP (default), NodePort or LoadBalancer"));
            }

            for (var i = 0; i < (service.PortMaps?.Count ?? 0); i++)
            {
                var map = service.PortMaps![i];
                if (map.NodePort is { } nodePort and (< 30000 or > 32767))
                {
                    issues.Add(ValidationIssue.Error($"{path}.service.portMaps[{i}].nodePort", $"{nodePort} is outside the default node port range 30000-32767; pick a port in it (or leave it out for one chosen by Kubernetes)"));
                }

                if (map.TargetPort is not (>= 1 and <= 65535))
                {
                    issues.Add(ValidationIssue.Error($"{path}.service.portMaps[{i}].targetPort", $"{(map.TargetPort is { } t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}: name the container port this node port leads to (1-65535), e.g. 9030 for the FE's query port"));
                }
            }
        }

        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.ConfigMaps?.Count ?? 0); i++)
        {
            var map = spec.ConfigMaps![i];
            if (string.IsNullOrEmpty(map.Name) || !KubernetesNames.IsDns1123Subdomain(map.Name))
            {
                issues.Add(ValidationIssue.Error($"{path}.configMaps[{i}].name", $"'{map.Name ?? "<missing>"}' is not a ConfigMap name{DisaggregatedClusterValidator.PlaceholderHint(map.Name ?? string.Empty)}; name the ConfigMap to mount"));
            }

            // without a mountPath the ConfigMap is the component's configuration, mounted at its conf directory
            if (map.MountPath is not null)
            {
                MountAt(map.MountPath, $"{path}.configMaps[{i}].mountPath", mounts, issues);
            }
        }

        var volumes = (spec.PersistentVolume is null ? [] : new[] { (spec.PersistentVolume, path + ".persistentVolume") })
            .Concat((spec.PersistentVolumes ?? []).Select((v, i) => (v, $"{path}.persistentVolumes[{i}]")));
        foreach (var (volume, at) in volumes)
        {
            if (volume.Provisioner is { Length: > 0 } provisioner && provisioner is not ("operator" or "StatefulSet"))
            {
                issues.Add(ValidationIssue.Error(at + ".provisioner", $"'{provisioner}' is not a provisioner; use operator (the operator makes and grows the claims) or leave it out (the StatefulSet makes them)"));
            }

            if (volume.PersistentVolumeClaimSpec?.Resources?.Requests?.GetValueOrDefault("storage") is null)
            {
                issues.Add(ValidationIssue.Error(at + ".persistentVolumeClaimSpec.resources.requests.storage", "missing; say how large each claim is, e.g. storage: 200Gi"));
            }

            for (var i = 0; i < (volume.MountPaths?.Count ?? 0); i++)
            {
                MountAt(volume.MountPaths![i], $"{at}.mountPaths[{i}]", mounts, issues);
            }
        }
    }

    private static void MountAt(string? mountPath, string field, Dictionary<string, string> mounts, List<ValidationIssue> issues)
    {
        if (string.IsNullOrEmpty(mountPath) || !mountPath.StartsWith('/'))
        {
            issues.Add(ValidationIssue.Error(field, $"'{mountPath ?? "<missing>"}' is not an absolute path; mount at a path starting with '/', e.g. /opt/apache-doris/be/file_cache"));
        }
        else if (mounts.TryGetValue(mountPath.TrimEnd('/'), out var other))
        {
            issues.Add(ValidationIssue.Error(field, $"'{mountPath}' is also {other}'s mount path; two volumes cannot be mounted at one path"));
        }
        else
        {
            mounts[mountPath.TrimEnd('/')] = field;
        }
    }
}
