using System.Globalization;

namespace Doris.Api.Config;

/// <summary>
/// What the operator reads from a component's core config file (ports, start mode, data paths);
/// every value falls back to the Doris default when the key or the whole file is absent.
/// </summary>
public sealed record ComponentConfig(IReadOnlyDictionary<string, string> Properties, bool HasConfigMap)
{
    public static ComponentConfig None { get; } = new(new Dictionary<string, string>(), false);

    public static ComponentConfig FromFile(string? text) => new(JavaProperties.Parse(text), true);

    public int HttpPort => Port("http_port", 8030);

    public int RpcPort => Port("rpc_port", 9020);

    public int QueryPort => Port("query_port", 9030);

    public int EditLogPort => Port("edit_log_port", 9010);

    public int BePort => Port("be_port", 9060);

    public int WebServerPort => Port("webserver_port", 8040);

    public int HeartbeatPort => Port("heartbeat_service_port", 9050);

    public int BrpcPort => Port("brpc_port", 8060);

    public int BrokerIpcPort => Port("broker_ipc_port", 8000);

    /// <summary>The meta service's port (doris_cloud.conf).</summary>
    public int BrpcListenPort => Port("brpc_listen_port", 5000);

    /// <summary>Arrow Flight SQL is off unless the key is set to a port.</summary>
    public int? ArrowFlightPort => Port("arrow_flight_sql_port", -1) is var p && p > 0 ? p : null;

    /// <summary>Upstream's start-mode rule: no ConfigMap means FQDN; a ConfigMap without <c>enable_fqdn_mode=true</c> means IP.</summary>
    public bool FqdnMode => !HasConfigMap || Get("enable_fqdn_mode") is { } v && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    public bool TlsEnabled => Get("enable_tls") is { } v && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    public string? TlsCaPath => Get("tls_ca_certificate_path");

    public string? TlsCertificatePath => Get("tls_certificate_path");

    public string? TlsPrivateKeyPath => Get("tls_private_key_path");

    public string MetaDir => Get("meta_dir") ?? DorisDefaults.FeMetaDir;

    public string StorageRootPath => Get("storage_root_path") ?? DorisDefaults.BeStorageDir;

    public int? GraceShutdownWaitSeconds => int.TryParse(Get("grace_shutdown_wait_seconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;

    public string? Get(string key) => Properties.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    private int Port(string key, int fallback) =>
        int.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : fallback;
}
