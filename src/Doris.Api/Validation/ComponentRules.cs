using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Api.Validation;

/// <summary>Rules for the fields every component shares: replicas, image, resources, probes, labels, scheduling, service.</summary>
internal static class ComponentRules
{
    private static readonly string[] TolerationOperators = ["Exists", "Equal"];
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void Check(DorisComponent component, ComponentSpec spec, string path, List<ValidationIssue> issues)
    {
        if (spec.Replicas is null && !(component == DorisComponent.Cn && spec is CnSpec { AutoScalingPolicy: not null }))
        {
            issues.Add(ValidationIssue.Error(path + ".replicas", $"missing; set how many {component.Key().ToUpperInvariant()} pods to run, e.g. replicas: 3"));
        }

        if (spec.Replicas is > PhysicalBounds.MaxReplicas)
        {
            issues.Add(ValidationIssue.Error(path + ".replicas", $"{spec.Replicas} is more pods than a Kubernetes cluster can run ({PhysicalBounds.MaxReplicas:N0} nodes and 150,000 pods is the tested limit); use {PhysicalBounds.MaxReplicas} or fewer"));
        }

        CheckImage(spec.Image, path + ".image", issues);
        CheckResources(spec.Requests, spec.Limits, path, issues);
        if (component is DorisComponent.Fe or DorisComponent.Be && spec.SpotPolicy is "preferred" or "required")
        {
            issues.Add(ValidationIssue.Warning(path + ".spotPolicy", $"'{spec.SpotPolicy}' puts {component.Key().ToUpperInvariant()} pods on Spot nodes, which can be reclaimed with two minutes' notice; " +
                (component == DorisComponent.Fe ? "several at once would break the FE quorum" : "several at once can take every replica of a tablet") + ". Use avoid (the default) unless this is a test cluster"));
        }
        if (spec.StartTimeout is > 0 and < DorisDefaults.MinStartTimeoutSeconds)
        {
            issues.Add(ValidationIssue.Warning(path + ".startTimeout", $"{spec.StartTimeout} is raised to {DorisDefaults.MinStartTimeoutSeconds} seconds, the least a Doris process is given to start"));
        }

        if (spec.ReadinessProbePolicy is { } readiness)
        {
            NotNegative(readiness.TimeoutSeconds, path + ".readinessProbePolicy.timeoutSeconds", issues);
            NotNegative(readiness.FailureThreshold, path + ".readinessProbePolicy.failureThreshold", issues);
            NotNegative(readiness.PeriodSeconds, path + ".readinessProbePolicy.periodSeconds", issues);
        }

        CheckLabels(spec.PodLabels, path + ".podLabels", labelValues: true, issues);
        CheckLabels(spec.NodeSelector, path + ".nodeSelector", labelValues: true, issues);
        CheckLabels(spec.Annotations, path + ".annotations", labelValues: false, issues);
        foreach (var key in DorisLabels.Selector("x", component).Keys.Append(DorisLabels.Cluster))
        {
            if (spec.PodLabels?.ContainsKey(key) == true)
            {
                issues.Add(ValidationIssue.Error($"{path}.podLabels", $"'{key}' is set by the operator and selects the pods; overriding it detaches the pods from their StatefulSet and Services. Remove it"));
            }
        }

        CheckEnv(spec.EnvVars ?? [], path + ".envVars", issues);
        CheckTolerations(spec.Tolerations ?? [], path + ".tolerations", issues);
        CheckService(component, spec.Service, path + ".service", issues);
        if (spec.ServiceAccount is { Length: > 0 } sa && !KubernetesNames.IsDns1123Subdomain(sa))
        {
            issues.Add(ValidationIssue.Error(path + ".serviceAccount", $"'{sa}' is not a valid ServiceAccount name; use lowercase letters, digits, '-' and '.'"));
        }

        var pullSecrets = spec.ImagePullSecrets ?? [];
        for (var i = 0; i < pullSecrets.Count; i++)
        {
            if (string.IsNullOrEmpty(pullSecrets[i].Name))
            {
                issues.Add(ValidationIssue.Error($"{path}.imagePullSecrets[{i}].name", "missing; name the docker-registry Secret"));
            }
        }

        if (spec.FeAddress?.Endpoints is { } endpoints && (endpoints.Address?.Count ?? 0) > 0 && endpoints.Port is null or 0)
        {
            issues.Add(ValidationIssue.Error(path + ".feAddress.endpoints.port", "missing; set the FE query port (usually 9030) next to the addresses"));
        }

        if (spec.SystemInitialization is { } init && (init.Command?.Count ?? 0) == 0 && (init.Args?.Count ?? 0) == 0)
        {
            issues.Add(ValidationIssue.Warning(path + ".systemInitialization", "has neither command nor args, so the init container runs its image's default entrypoint; set command"));
        }
    }

    internal static void CheckImage(string? image, string path, List<ValidationIssue> issues)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            issues.Add(ValidationIssue.Error(path, "missing; set the Doris image, e.g. apache/doris:fe-2.1.8"));
        }
        else if (image.Any(char.IsWhiteSpace) || image.Any(char.IsAsciiLetterUpper) && !image.Contains('@', StringComparison.Ordinal) && image.Split('/')[^1].Split(':')[0].Any(char.IsAsciiLetterUpper))
        {
            issues.Add(ValidationIssue.Error(path, $"'{image}' is not a valid image reference: repository names are lowercase without spaces, e.g. apache/doris:be-2.1.8"));
        }
    }

    internal static void CheckResources(IReadOnlyDictionary<string, Quantity>? requests, IReadOnlyDictionary<string, Quantity>? limits, string path, List<ValidationIssue> issues)
    {
        foreach (var (kind, quantities) in new[] { ("requests", requests), ("limits", limits) })
        {
            foreach (var (name, quantity) in quantities ?? new Dictionary<string, Quantity>())
            {
                if (string.IsNullOrWhiteSpace(quantity?.Value))
                {
                    issues.Add(ValidationIssue.Error($"{path}.{kind}.{name}", $"empty; give a quantity such as {(name == "cpu" ? "2" : "4Gi")}, or remove {name} to leave it unset"));
                }
                else if (PhysicalBounds.CheckResource(name, quantity.Value) is { } problem)
                {
                    issues.Add(ValidationIssue.Error($"{path}.{kind}.{name}", problem));
                }
            }
        }

        foreach (var (name, quantity) in requests ?? new Dictionary<string, Quantity>())
        {
            if (!Quantity.TryParse(quantity?.Value, out var request))
            {
                continue; // the schema pattern or the bound above already reported it
            }

            if (request < 0)
            {
                issues.Add(ValidationIssue.Error($"{path}.requests.{name}", $"'{quantity!.Value}' is negative; resources must be zero or more"));
            }

            if (limits?.TryGetValue(name, out var limitQuantity) == true && Quantity.TryParse(limitQuantity?.Value, out var limit) && request > limit)
            {
                issues.Add(ValidationIssue.Error($"{path}.requests.{name}", $"'{quantity!.Value}' is more than the limit '{limitQuantity!.Value}'; raise limits.{name} or lower the request"));
            }
        }

        foreach (var (name, quantity) in limits ?? new Dictionary<string, Quantity>())
        {
            if (Quantity.TryParse(quantity?.Value, out var limit) && limit < 0)
            {
                issues.Add(ValidationIssue.Error($"{path}.limits.{name}", $"'{quantity!.Value}' is negative; resources must be zero or more"));
            }
        }
    }

    internal static void NotNegative(int? value, string path, List<ValidationIssue> issues)
    {
        if (value < 0)
        {
            issues.Add(ValidationIssue.Error(path, $"{value} is negative; use a positive number of seconds/attempts or leave it out for the default"));
        }
    }

    internal static void CheckLabels(IReadOnlyDictionary<string, string>? map, string path, bool labelValues, List<ValidationIssue> issues)
    {
        foreach (var (key, value) in map ?? new Dictionary<string, string>())
        {
            if (!KubernetesNames.IsQualifiedName(key))
            {
                issues.Add(ValidationIssue.Error($"{path}", $"key '{key}' is not a valid label/annotation key: use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'"));
            }
            else if (labelValues && !KubernetesNames.IsLabelValue(value))
            {
                issues.Add(ValidationIssue.Error($"{path}.{key}", $"'{value}' is not a valid label value: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
            }
        }
    }

    internal static void CheckEnv(IReadOnlyList<EnvVar> env, string path, List<ValidationIssue> issues)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < env.Count; i++)
        {
            var name = env[i].Name;
            if (name is null)
            {
                continue; // the schema reports the missing name
            }

            if (!KubernetesNames.IsEnvVarName(name))
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}].name", $"'{name}' is not a valid environment variable name; use letters, digits, '_', '-' and '.', not starting with a digit"));
            }
            else if (!seen.Add(name))
            {
                issues.Add(ValidationIssue.Warning($"{path}[{i}].name", $"'{name}' is set twice; the later value wins. Remove one"));
            }

            if (env[i].Value is not null && env[i].ValueFrom is not null)
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}]", $"'{name}' sets both value and valueFrom; keep one"));
            }
        }
    }

    internal static void CheckTolerations(IReadOnlyList<Toleration> tolerations, string path, List<ValidationIssue> issues)
    {
        for (var i = 0; i < tolerations.Count; i++)
        {
            var t = tolerations[i];
            if (t.Operator is { } op && !TolerationOperators.Contains(op))
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}].operator", $"'{op}' is not a toleration operator; use Exists or Equal"));
            }

            if (t.Operator == "Exists" && !string.IsNullOrEmpty(t.Value))
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}].value", $"'{t.Value}' must be empty when operator is Exists; remove value or use operator: Equal"));
            }

            if (t.Effect is { Length: > 0 } effect && !TaintEffects.Contains(effect))
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}].effect", $"'{effect}' is not a taint effect; use NoSchedule, PreferNoSchedule or NoExecute (or leave it empty for all)"));
            }

            if (t.TolerationSeconds is not null && t.Effect != "NoExecute")
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}].tolerationSeconds", "only applies to effect NoExecute; set effect: NoExecute or remove tolerationSeconds"));
            }

            if (string.IsNullOrEmpty(t.Key) && t.Operator != "Exists")
            {
                issues.Add(ValidationIssue.Error($"{path}[{i}].key", "an empty key tolerates every taint only with operator: Exists; set a key or operator: Exists"));
            }
        }
    }

    private static void CheckService(DorisComponent component, ExportService? service, string path, List<ValidationIssue> issues)
    {
        if (service is null)
        {
            return;
        }

        if (component == DorisComponent.Broker)
        {
            issues.Add(ValidationIssue.Warning(path, "brokers get no access Service (only the internal headless one), so this has no effect; remove it"));
        }

        var type = service.Type ?? "ClusterIP";
        var ports = service.ServicePorts ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            var nodePort = ports[i].NodePort;
            if (nodePort is > 0 && type is not ("NodePort" or "LoadBalancer"))
            {
                issues.Add(ValidationIssue.Error($"{path}.servicePorts[{i}].nodePort", $"{nodePort} needs service type NodePort or LoadBalancer, not {type}; set service.type: NodePort"));
            }
            else if (nodePort is > 0 and (< 30000 or > 32767))
            {
                issues.Add(ValidationIssue.Error($"{path}.servicePorts[{i}].nodePort", $"{nodePort} is outside the default node-port range 30000-32767; pick a port in that range"));
            }

            if (ports[i].TargetPort is null or 0)
            {
                issues.Add(ValidationIssue.Error($"{path}.servicePorts[{i}].targetPort", "missing; name the container port the node port maps to, e.g. 9030 for the FE query port"));
            }
        }

        if (!string.IsNullOrEmpty(service.LoadBalancerIp) && type != "LoadBalancer")
        {
            issues.Add(ValidationIssue.Warning(path + ".loadBalancerIP", $"is ignored for service type {type}; set type: LoadBalancer or remove it"));
        }
    }
}
