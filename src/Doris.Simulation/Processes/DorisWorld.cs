using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Doris.Api.Naming;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Simulation.Processes;

/// <summary>
/// The Doris processes of every simulated cluster: one <see cref="DorisModel"/> and one SQL-speaking FE endpoint per
/// DorisCluster. Pods register as the official entrypoints do once they are Ready (FE followers and observers by
/// ordinal and ELECT_NUMBER, BEs as mix nodes, CNs as computation nodes); members whose pods are gone or unready
/// are reported dead. The FE accepts the credentials of the cluster's authSecret, as a real one would after setup.
/// </summary>
public sealed partial class DorisWorld(ObjectStore store) : IAsyncDisposable
{
    private static readonly ResourceType DorisClusters = new("doris.selectdb.com", "v1", "DorisCluster", "dorisclusters", "doriscluster", true, true, ["dcr"]);
    private readonly ConcurrentDictionary<string, (DorisModel Model, FrontendServer Server)> _clusters = new(StringComparer.Ordinal);

    // Entrypoints register once per container start: a member dropped from the FE stays dropped while its container
    // runs on, and comes back when the container restarts (the entrypoint adds it again).
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);

    // The claim holding each registered FE's metadata (its uid, by cluster and host), and the claims whose metadata
    // belongs to a member the FE group has since dropped: an FE started on one of those cannot rejoin (its
    // doris-meta names a node the group no longer has), as Doris's FE refuses to start in that state.
    private readonly ConcurrentDictionary<(string Cluster, string Host), string> _metaClaims = new();
    private readonly ConcurrentDictionary<string, bool> _staleMeta = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refusalPrinted = new(StringComparer.Ordinal);

    // The pod (and container) whose log the master FE writes to, per cluster.
    private readonly ConcurrentDictionary<string, (string Pod, string Container)> _masterLog = new(StringComparer.Ordinal);

    /// <summary>Applied to each new model (replication factor, migration speed) before any member registers.</summary>
    public Action<DorisModel>? Configure { get; set; }

    public DorisModel Model(string ns, string cluster) => For(ns, cluster).Model;

    public int FrontendPort(string ns, string cluster) => For(ns, cluster).Server.Port;

    public IEnumerable<DorisModel> Models => _clusters.Values.Select(v => v.Model);

    // The simulated time of the last step: statements arrive between steps, over the MySQL protocol.
    private DateTimeOffset Now { get; set; }

    public void Step(IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        Now = now;
        foreach (var group in pods.Where(p => p.Metadata?.Labels?.ContainsKey(DorisLabels.Cluster) == true)
                     .GroupBy(p => (p.Metadata!.Namespace ?? "default", p.Metadata.Labels![DorisLabels.Cluster])))
        {
            var model = Model(group.Key.Item1, group.Key.Item2);
            var alive = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pod in group)
            {
                var ready = pod.Metadata!.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
                if (!ready)
                {
                    continue;
                }

                // The entrypoints register by FQDN, or by the pod IP when the container sets HOST_TYPE=IP.
                var byIp = pod.Spec!.Containers?.FirstOrDefault()?.Env?.Any(e => e.Name == "HOST_TYPE" && e.Value == "IP") == true && pod.Status?.PodIP is { Length: > 0 };
                var host = byIp ? pod.Status!.PodIP! : $"{pod.Spec.Hostname}.{pod.Spec.Subdomain}.{pod.Metadata.Namespace}.svc.cluster.local";
                alive.Add(host);
                if (!FirstStart(pod))
                {
                    continue;
                }

                var ordinal = Ordinal(pod);
                var container = pod.Spec.Containers?.FirstOrDefault()?.Name ?? "main";
                void Print(string line) => store.Logs.Append(group.Key.Item1, pod.Metadata.Name!, container, now, line);
                switch (pod.Metadata.Labels![DorisLabels.Component])
                {
                    case "fe":
                        var elect = pod.Spec.Containers?.FirstOrDefault()?.Env?.FirstOrDefault(e => e.Name == "ELECT_NUMBER")?.Value is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 3;
                        var role = ordinal < elect ? "FOLLOWER" : "OBSERVER";
                        var editLogPort = ConfiguredPort(pod, "fe.conf", "edit_log_port", 9010);
                        model.RegisterFrontend(host, editLogPort, role, ordinal == 0);
                        if (MetaClaimUid(pod) is { } claimUid)
                        {
                            _metaClaims[($"{group.Key.Item1}/{group.Key.Item2}", host)] = claimUid;
                        }

                        if (ordinal == 0)
                        {
                            _masterLog[$"{group.Key.Item1}/{group.Key.Item2}"] = (pod.Metadata.Name!, container);
                            For(group.Key.Item1, group.Key.Item2).Server.Tls = TlsOf(pod);
                        }

                        Print(ordinal == 0 ? $"entrypoint: started as the master FE ({host}:{editLogPort})" : $"entrypoint: joined the FE group as {role} ({host}:{editLogPort})");
                        break;
                    case "be":
                        var bePort = ConfiguredPort(pod, "be.conf", "heartbeat_service_port", 9050);
                        model.RegisterBackend(host, bePort, "mix");
                        Print($"entrypoint: registered with the FE as a backend ({host}:{bePort})");
                        break;
                    case "cn":
                        var cnPort = ConfiguredPort(pod, "be.conf", "heartbeat_service_port", 9050);
                        model.RegisterBackend(host, cnPort, "computation");
                        Print($"entrypoint: registered with the FE as a compute node ({host}:{cnPort})");
                        break;
                }
            }

            model.SetAlive(alive);
            model.Tick(now);
            ForgetDropped($"{group.Key.Item1}/{group.Key.Item2}", model);
        }

        StepDisaggregated(pods, now);
    }

    // A container start (new pod or restart in place) runs the entrypoint again; true the first time it is seen.
    private bool FirstStart(Pod pod) =>
        _started.Add($"{pod.Metadata!.Uid}/{(pod.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount ?? 0).ToString(CultureInfo.InvariantCulture)}");

    private static int Ordinal(Pod pod) => int.Parse(pod.Metadata!.Name![(pod.Metadata.Name!.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>
    /// Why an FE pod's process cannot start, or null: its metadata claim holds the metadata of a member the FE
    /// group dropped (an observer dropped through SQL whose claim was kept). A real FE exits at start in that
    /// state and the pod never turns Ready; a fresh claim (or none) starts clean and joins.
    /// </summary>
    public string? StartRefusal(Pod pod, DateTimeOffset now)
    {
        if (pod.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) != "fe" || MetaClaimUid(pod) is not { } uid || !_staleMeta.ContainsKey(uid))
        {
            return null;
        }

        var reason = $"fe: the metadata on claim {ClaimName(pod)} belongs to a frontend the FE group has dropped; it cannot rejoin with it (delete the claim so the pod starts on a fresh one)";
        if (_refusalPrinted.TryAdd(pod.Metadata.Uid ?? pod.Metadata.Name!, true))
        {
            store.Logs.Append(pod.Metadata.Namespace ?? "default", pod.Metadata.Name!, pod.Spec?.Containers?.FirstOrDefault()?.Name ?? "fe", now, reason);
        }

        return reason;
    }

    // A registered FE that is no longer in the group was dropped: the claim it ran on now holds stale metadata.
    private void ForgetDropped(string cluster, DorisModel model)
    {
        var members = model.Frontends().Select(f => f.Host).ToHashSet(StringComparer.Ordinal);
        foreach (var ((key, host), uid) in _metaClaims)
        {
            if (key == cluster && !members.Contains(host) && _metaClaims.TryRemove((key, host), out _))
            {
                _staleMeta[uid] = true;
            }
        }
    }

    // The FE's doris-meta directory (fe.conf meta_dir, the image's default path otherwise) when a claim backs it.
    private static string? ClaimName(Pod pod)
    {
        var metaDir = "/opt/apache-doris/fe/doris-meta";
        var mount = pod.Spec?.Containers?.FirstOrDefault()?.VolumeMounts?.FirstOrDefault(m => m.MountPath?.TrimEnd('/') == metaDir);
        return pod.Spec?.Volumes?.FirstOrDefault(v => v.Name == mount?.Name)?.PersistentVolumeClaim?.ClaimName;
    }

    private string? MetaClaimUid(Pod pod)
    {
        if (ClaimName(pod) is not { } claim)
        {
            return null;
        }

        try
        {
            return store.Get(Claims, pod.Metadata!.Namespace ?? "default", claim)["metadata"]?["uid"]?.GetValue<string>();
        }
        catch (ApiError)
        {
            return null;
        }
    }

    private static readonly ResourceType Claims = new(string.Empty, "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, true, ["pvc"]);

    /// <summary>
    /// Where a port of a simulated pod leads: an FE pod's query port (fe.conf query_port, 9030 by default) is the
    /// simulated FE's MySQL endpoint on loopback; nothing else listens.
    /// </summary>
    public System.Net.IPEndPoint? PortTarget(string ns, string podName, int port)
    {
        Pod? pod;
        try
        {
            pod = store.Get(Pods, ns, podName).Deserialize(Doris.Kubernetes.Serialization.KubernetesJsonContext.Default.Pod);
        }
        catch (ApiError)
        {
            return null;
        }

        var labels = pod?.Metadata?.Labels;
        if (labels?.GetValueOrDefault(DorisLabels.Component) != "fe" || labels.GetValueOrDefault(DorisLabels.Cluster) is not { } cluster ||
            port != ConfiguredPort(pod!, "fe.conf", "query_port", 9030))
        {
            return null;
        }

        return new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, FrontendPort(ns, cluster));
    }

    private static readonly ResourceType Pods = new(string.Empty, "v1", "Pod", "pods", "pod", true, true, ["po"]);

    // The official entrypoints register a member with the port its conf file sets (heartbeat_service_port in
    // be.conf, edit_log_port in fe.conf), read from the ConfigMap mounted into the pod; Doris's default otherwise.
    private int ConfiguredPort(Pod pod, string file, string key, int fallback) =>
        int.TryParse(Configured(pod, file, key), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;

    private string? Configured(Pod pod, string file, string key)
    {
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (volume.ConfigMap?.Name is not { } name)
            {
                continue;
            }

            try
            {
                var map = store.Get(ConfigMaps, pod.Metadata!.Namespace, name);
                if (map["data"]?[file]?.GetValue<string>() is { } text && Doris.Api.Config.JavaProperties.Parse(text).TryGetValue(key, out var value))
                {
                    return value;
                }
            }
            catch (ApiError)
            {
                // not there (yet): the kubelet would not have started the container either
            }
        }

        return null;
    }

    /// <summary>
    /// fe.conf <c>enable_tls = true</c>: the simulated FE serves TLS only, with the certificate and key fe.conf names
    /// and the CA it checks clients against, read from the Secret mounted at those paths, as the FE process would.
    /// </summary>
    private FrontendServer.TlsSettings? TlsOf(Pod pod)
    {
        if (!string.Equals(Configured(pod, "fe.conf", "enable_tls"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string? Read(string key)
        {
            var path = Configured(pod, "fe.conf", key);
            var slash = path?.LastIndexOf('/') ?? -1;
            if (path is null || slash < 0)
            {
                return null;
            }

            var mount = pod.Spec!.Containers?.FirstOrDefault()?.VolumeMounts?.FirstOrDefault(m => m.MountPath?.TrimEnd('/') == path[..slash]);
            var secretName = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount?.Name)?.Secret?.SecretName;
            try
            {
                var data = secretName is null ? null : store.Get(Secrets, pod.Metadata!.Namespace, secretName)["data"]?[path[(slash + 1)..]]?.GetValue<string>();
                return data is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (ApiError)
            {
                return null;
            }
        }

        return Read("tls_ca_certificate_path") is { } ca && Read("tls_certificate_path") is { } certificate && Read("tls_private_key_path") is { } key
            ? new FrontendServer.TlsSettings(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate, key), System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(ca))
            : null;
    }

    private static readonly ResourceType Secrets = new(string.Empty, "v1", "Secret", "secrets", "secret", true, false, []);

    private static readonly ResourceType ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", "configmap", true, false, ["cm"]);

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, server) in _clusters.Values)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private (DorisModel Model, FrontendServer Server) For(string ns, string cluster) => _clusters.GetOrAdd($"{ns}/{cluster}", _ =>
    {
        var (user, password) = Credentials(ns, cluster);
        var model = new DorisModel { User = user, Password = password, Version = DorisVersions.FromImage(Image(ns, cluster)) };
        var key = $"{ns}/{cluster}";
        model.Printed = line =>
        {
            if (_masterLog.TryGetValue(key, out var master))
            {
                store.Logs.Append(ns, master.Pod, master.Container, Now, "fe: " + line);
            }
        };
        Configure?.Invoke(model);
        return (model, new FrontendServer(model));
    });

    // The FE image's tag picks the release line the simulated FE answers as (apache/doris:fe-3.0.3 → 3.0).
    private string? Image(string ns, string cluster)
    {
        try
        {
            return store.Get(DorisClusters, ns, cluster)["spec"]?["feSpec"]?["image"]?.GetValue<string>();
        }
        catch (ApiError)
        {
            return null;
        }
    }

    private (string User, string Password) Credentials(string ns, string cluster) => SpecCredentials(DorisClusters, ns, cluster);

    // The authSecret's basic-auth pair, else adminUser, else root without a password: what the FE accepts after setup.
    private (string User, string Password) SpecCredentials(ResourceType type, string ns, string cluster)
    {
        try
        {
            var spec = store.Get(type, ns, cluster)["spec"];
            if (spec?["authSecret"]?.GetValue<string>() is { Length: > 0 } secretName)
            {
                var secret = store.Get(new ResourceType(string.Empty, "v1", "Secret", "secrets", "secret", true, false, []), ns, secretName).Deserialize(KubernetesJsonContext.Default.Secret)!;
                string? Read(string key) => secret.Data?.TryGetValue(key, out var b64) == true ? Encoding.UTF8.GetString(Convert.FromBase64String(b64)) : secret.StringData?.GetValueOrDefault(key);
                return (Read("username") ?? "root", Read("password") ?? string.Empty);
            }

            if (spec?["adminUser"]?["name"]?.GetValue<string>() is { Length: > 0 } admin)
            {
                return (admin, spec["adminUser"]?["password"]?.GetValue<string>() ?? string.Empty);
            }
        }
        catch (ApiError)
        {
            // no such cluster or Secret yet: the FE starts with root and no password, as a fresh Doris does
        }

        return ("root", string.Empty);
    }
}
