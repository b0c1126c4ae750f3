using Doris.Kubernetes.Schema;

namespace Doris.Api.Crd;

/// <summary>
/// What <c>kubectl explain doriscluster...</c> shows: our own words for every DorisCluster field, and for the
/// Kubernetes types a component passes through (affinity, tolerations, security contexts...) the Kubernetes type
/// and field, with the <c>kubectl explain</c> path that documents the type on the field that embeds it. Kept short
/// so the CRD stays well under what a client-side <c>kubectl apply</c> can store (its last-applied annotation may
/// not exceed 256 KiB; a test checks the size).
/// A test checks that every field of the schema has one.
/// </summary>
internal static partial class FieldDescriptions
{
    public static string? Describe(SchemaField field)
    {
        if (field.KubernetesPath is not null)
        {
            // Kept short: there are over a thousand of these; the field that embeds the type says where kubectl documents it.
            return $"Kubernetes {field.DeclaringType.Name}.{field.Name}.";
        }

        for (var type = field.DeclaringType; type is not null; type = type.BaseType)
        {
            if (Doris.TryGetValue($"{type.Name}.{field.Name}", out var text) || Disaggregated.TryGetValue($"{type.Name}.{field.Name}", out text))
            {
                var embedded = field.PropertyType.IsGenericType ? field.PropertyType.GetGenericArguments()[^1] : field.PropertyType;
                return ExplainRoots.TryGetValue(embedded.Name, out var root) ? $"{text} Kubernetes {embedded.Name}: `kubectl explain {root}` documents its fields." : text;
            }
        }

        return null;
    }

    /// <summary>Where kubectl documents a Kubernetes type a DorisCluster embeds.</summary>
    internal static readonly IReadOnlyDictionary<string, string> ExplainRoots = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Affinity"] = "pod.spec.affinity",
        ["Toleration"] = "pod.spec.tolerations",
        ["HostAlias"] = "pod.spec.hostAliases",
        ["LocalObjectReference"] = "pod.spec.imagePullSecrets",
        ["EnvVar"] = "pod.spec.containers.env",
        ["ResourceClaim"] = "pod.spec.containers.resources.claims",
        ["PodSecurityContext"] = "pod.spec.securityContext",
        ["SecurityContext"] = "pod.spec.containers.securityContext",
        ["PersistentVolumeClaimSpec"] = "persistentvolumeclaim.spec",
        ["MetricSpec"] = "horizontalpodautoscaler.spec.metrics",
        ["HorizontalPodAutoscalerBehavior"] = "horizontalpodautoscaler.spec.behavior",
        ["Condition"] = "customresourcedefinition.status.conditions",
    };

    private static readonly IReadOnlyDictionary<string, string> Doris = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DorisCluster.apiVersion"] = "doris.selectdb.com/v1, the API apache/doris-operator also serves.",
        ["DorisCluster.kind"] = "DorisCluster.",
        ["DorisCluster.metadata"] = "Standard object metadata; the name prefixes every StatefulSet and Service the operator creates.",
        ["DorisCluster.spec"] = "The Doris cluster wanted: its FE, BE, CN and broker components and cluster-wide settings.",
        ["DorisCluster.status"] = "What the operator observed: per-component phase and instances, and the cluster's conditions.",

        ["DorisClusterSpec.feSpec"] = "Frontends (FE): metadata, SQL and query planning. Required; followers up to electionNumber, observers beyond.",
        ["DorisClusterSpec.beSpec"] = "Backends (BE): storage and query execution. Scale-in decommissions each BE and waits until its tablets have moved.",
        ["DorisClusterSpec.cnSpec"] = "Compute nodes (CN): stateless query execution, suited to Spot capacity; the /scale subresource and an autoscaler change these replicas.",
        ["DorisClusterSpec.brokerSpec"] = "Brokers: access to external file systems for load and export jobs.",
        ["DorisClusterSpec.adminUser"] = "An administrative Doris user given inline. Prefer authSecret: an inline password is readable by anyone who can read this object.",
        ["DorisClusterSpec.authSecret"] = "Name of a Secret (keys username, password; kubernetes.io/basic-auth) with the Doris user the operator connects as.",
        ["DorisClusterSpec.enableRestartWhenConfigChange"] = "Restart a component's pods, one at a time, when its configuration ConfigMap changes.",
        ["DorisClusterSpec.enableZoneLocationTags"] = "dorisctl extension: tag each BE with its node's zone so Doris can place replicas across zones.",
        ["DorisClusterSpec.kerberosInfo"] = "Kerberos configuration and keytab mounted into FE, BE and CN pods for access to secured external systems.",
        ["DorisClusterSpec.sharedPersistentVolumeClaims"] = "Existing claims (ReadWriteMany) mounted into several components at a path.",

        ["ComponentSpec.replicas"] = "Number of pods. Lowering it is safe: FE followers keep quorum, BEs and CNs are decommissioned first.",
        ["ComponentSpec.image"] = "Container image of the component, such as apache/doris:be-2.1.8.",
        ["ComponentSpec.imagePullSecrets"] = "Secrets with registry credentials for pulling the image.",
        ["ComponentSpec.requests"] = "Resources the scheduler reserves for each pod (cpu, memory, ...).",
        ["ComponentSpec.limits"] = "Most resources each pod may use (cpu, memory, ...).",
        ["ComponentSpec.claims"] = "Dynamic resource claims the main container uses.",
        ["ComponentSpec.startTimeout"] = "Seconds a starting pod may take before its startup probe fails it (at least 360).",
        ["ComponentSpec.liveTimeout"] = "Seconds a liveness probe waits for an answer (default 180).",
        ["ComponentSpec.readinessProbePolicy"] = "Timing of the readiness probe.",
        ["ComponentSpec.annotations"] = "Annotations added to each pod.",
        ["ComponentSpec.podLabels"] = "Labels added to each pod (the operator's own labels win on a clash).",
        ["ComponentSpec.spotPolicy"] = "dorisctl extension: avoid (never on Spot; default for FE, BE and broker), allowed, preferred, or required (Spot only; CN).",
        ["ComponentSpec.enablePodDisruptionBudget"] = "dorisctl extension: keep a PodDisruptionBudget so drains and autoscalers take pods one at a time (default true).",
        ["ComponentSpec.serviceAccount"] = "Service account the pods run as.",
        ["ComponentSpec.service"] = "How the component's access Service is exposed (type, ports, annotations).",
        ["ComponentSpec.feAddress"] = "An FE outside this cluster for this component to join, instead of this cluster's FE.",
        ["ComponentSpec.configMapInfo"] = "ConfigMaps with the component's configuration (fe.conf, be.conf, ...) and extra files.",
        ["ComponentSpec.nodeSelector"] = "Node labels a pod's node must carry.",
        ["ComponentSpec.envVars"] = "Environment variables added to the main container.",
        ["ComponentSpec.affinity"] = "Scheduling affinity of the pods, merged with the operator's own anti-affinity.",
        ["ComponentSpec.tolerations"] = "Taints the pods tolerate (the Spot taint is added by spotPolicy).",
        ["ComponentSpec.hostAliases"] = "Extra /etc/hosts entries in the pods.",
        ["ComponentSpec.persistentVolumes"] = "Volumes claimed for each pod (data, logs); without them data lives in emptyDir and is lost with the pod.",
        ["ComponentSpec.systemInitialization"] = "The init container that tunes the host before Doris starts (vm.max_map_count and the like).",
        ["ComponentSpec.securityContext"] = "Pod-level security context.",
        ["ComponentSpec.containerSecurityContext"] = "Security context of the main container.",
        ["ComponentSpec.secrets"] = "Secrets mounted into the main container at a path.",

        ["FeSpec.electionNumber"] = "How many FEs are followers (vote in elections); the rest are observers. Odd, default 3; cannot change once the cluster runs.",
        ["BeSpec.enableWorkloadGroup"] = "Mount the cgroup file system so Doris workload groups can limit CPU.",
        ["BeSpec.skipDefaultSystemInit"] = "Skip the default host tuning init container (use when nodes are tuned already).",
        ["BeSpec.enableFeAffinity"] = "Prefer nodes that run no FE.",
        ["BeSpec.autoResolveLimitCPU"] = "Tell Doris the CPU limit of the pod, so it sizes its thread pools to it.",
        ["CnSpec.skipDefaultSystemInit"] = "Skip the default host tuning init container (use when nodes are tuned already).",
        ["CnSpec.autoResolveLimitCPU"] = "Tell Doris the CPU limit of the pod, so it sizes its thread pools to it.",
        ["CnSpec.autoScalingPolicy"] = "A HorizontalPodAutoscaler for the CN replicas.",
        ["BrokerSpec.kickOffAffinityBe"] = "Prefer nodes that run a BE.",

        ["AdminUser.name"] = "Doris user name.",
        ["AdminUser.password"] = "Doris password, in clear text (prefer authSecret).",
        ["AutoScalingPolicy.version"] = "Autoscaling API version: v1 or v2 (default v2).",
        ["AutoScalingPolicy.minReplicas"] = "Fewest CN replicas the autoscaler keeps.",
        ["AutoScalingPolicy.maxReplicas"] = "Most CN replicas the autoscaler makes.",
        ["AutoScalingPolicy.hpaPolicy"] = "Metrics and scaling behaviour of the autoscaler.",
        ["HpaPolicy.metrics"] = "What the autoscaler measures (for example average CPU utilisation).",
        ["HpaPolicy.behavior"] = "How fast the autoscaler scales up and down.",
        ["ConfigMapInfo.configMapName"] = "ConfigMap holding the component's main configuration file.",
        ["ConfigMapInfo.resolveKey"] = "Key of the main configuration file in that ConfigMap (fe.conf, be.conf, ...).",
        ["ConfigMapInfo.configMaps"] = "More ConfigMaps, each mounted at its own path.",
        ["MountConfigMap.configMapName"] = "ConfigMap name.",
        ["MountConfigMap.mountPath"] = "Where it is mounted in the main container.",
        ["SecretMount.secretName"] = "Secret name.",
        ["SecretMount.mountPath"] = "Where it is mounted in the main container.",
        ["ExportService.type"] = "Service type: ClusterIP (default), NodePort or LoadBalancer.",
        ["ExportService.servicePorts"] = "Fixed node ports for NodePort Services.",
        ["ExportService.annotations"] = "Annotations on the Service (for example for a cloud load balancer).",
        ["ExportService.loadBalancerIP"] = "Requested load balancer address, where the provider supports one.",
        ["DorisServicePort.nodePort"] = "Node port to expose.",
        ["DorisServicePort.targetPort"] = "Container port it leads to.",
        ["FeAddress.ServiceName"] = "Service name of the external FE.",
        ["FeAddress.endpoints"] = "Addresses of the external FE, when there is no Service.",
        ["FeEndpoints.address"] = "FE host names or IP addresses.",
        ["FeEndpoints.port"] = "FE query port (MySQL protocol).",
        ["KerberosInfo.krb5ConfigMap"] = "ConfigMap with krb5.conf.",
        ["KerberosInfo.keytabSecretName"] = "Secret with the keytab files.",
        ["KerberosInfo.keytabPath"] = "Where the keytabs are mounted.",
        ["PersistentVolume.name"] = "Volume name; also the claim template name, so it must not change on a running cluster.",
        ["PersistentVolume.mountPath"] = "Where the volume is mounted; paths from the configuration (storage_root_path) may be used for BE data.",
        ["PersistentVolume.persistentVolumeClaimSpec"] = "The claim made for each pod: storage class, size, access modes.",
        ["PersistentVolume.annotations"] = "Annotations on each claim.",
        ["PersistentVolume.provisioner"] = "Who provisions the claim: StorageClass (default) or Operator.",
        ["ReadinessProbePolicy.timeoutSeconds"] = "Seconds each readiness check may take.",
        ["ReadinessProbePolicy.failureThreshold"] = "Failed checks before the pod is marked not ready.",
        ["ReadinessProbePolicy.periodSeconds"] = "Seconds between readiness checks.",
        ["SharedPersistentVolumeClaim.persistentVolumeClaimName"] = "Name of the existing claim.",
        ["SharedPersistentVolumeClaim.mountPath"] = "Where it is mounted.",
        ["SharedPersistentVolumeClaim.supportComponents"] = "Components that mount it (fe, be, cn, broker); all when empty.",
        ["SystemInitialization.initImage"] = "Image of the host tuning init container.",
        ["SystemInitialization.command"] = "Its command.",
        ["SystemInitialization.args"] = "Its arguments.",
        ["SystemInitialization.requests"] = "Resources it requests.",
        ["SystemInitialization.limits"] = "Its resource limits.",
        ["SystemInitialization.claims"] = "Dynamic resource claims it uses.",

        ["DorisClusterStatus.feStatus"] = "FE status.",
        ["DorisClusterStatus.beStatus"] = "BE status.",
        ["DorisClusterStatus.cnStatus"] = "CN status, with the autoscaler and the replica count /scale reads.",
        ["DorisClusterStatus.brokerStatus"] = "Broker status.",
        ["DorisClusterStatus.observedGeneration"] = "The generation of the spec this status describes.",
        ["DorisClusterStatus.conditions"] = "Ready, Progressing, Degraded and Invalid, each with a reason and a message.",
        ["ComponentStatus.accessService"] = "Service through which the component is reached.",
        ["ComponentStatus.failedInstances"] = "Pods that failed.",
        ["ComponentStatus.creatingInstances"] = "Pods not ready yet.",
        ["ComponentStatus.runningInstances"] = "Pods ready.",
        ["ComponentStatus.componentCondition"] = "Phase of the component and why.",
        ["ComponentStatus.coreConfigMapHashValue"] = "Hash of the configuration the pods run with (a restart follows a change when enabled).",
        ["CnStatus.horizontalScaler"] = "The autoscaler of the CNs.",
        ["CnStatus.replicas"] = "CN replicas observed (what /scale reports).",
        ["CnStatus.selector"] = "Label selector of the CN pods (for the autoscaler).",
        ["HorizontalScaler.name"] = "Autoscaler name.",
        ["HorizontalScaler.version"] = "Autoscaler API version.",
        ["ComponentCondition.subResourceName"] = "The StatefulSet the phase is about.",
        ["ComponentCondition.phase"] = "Phase, as upstream names them: initializing, available, restarting or haveMemberFailed.",
        ["ComponentCondition.reason"] = "Why, in one word.",
        ["ComponentCondition.message"] = "Why, in a sentence.",
        ["ComponentCondition.lastTransitionTime"] = "When the phase last changed.",
    };
}
