using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Sql;

namespace Doris.Cli.Commands;

/// <summary>
/// Upstream's <c>dorisctl get node &lt;host&gt;</c> (apache/doris-operator's CLI of the same name), so its users'
/// scripts keep working: the FE or BE row whose Host matches, from SHOW FRONTENDS then SHOW BACKENDS, as indented
/// JSON with upstream's snake_case keys, or one field with <c>-o custom-columns=&lt;path&gt;</c> (a dotted path;
/// <c>tag.&lt;key&gt;</c> reads inside a backend's Tag JSON). Unlike upstream, a host found nowhere is an error
/// (exit 1) naming the hosts there are, instead of no output.
/// </summary>
internal static class GetNodeCommand
{
    /// <summary>The connection flags upstream takes anywhere on the line, before or after <c>get</c>.</summary>
    public static readonly string[] GlobalFlags = ["--fe-host", "--query-port", "--user", "--password", "--ssl-ca", "--ssl-cert", "--ssl-key"];

    // Columns upstream types as numbers or booleans (everything else stays a string; absent columns are omitted).
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "EditLogPort", "HttpPort", "QueryPort", "RpcPort", "ArrowFlightSqlPort", "HeartbeatPort", "BePort", "BrpcPort", "TabletNum", "HeartbeatFailureCounter" };
    private static readonly HashSet<string> Booleans = new(StringComparer.Ordinal) { "IsMaster", "Join", "Alive", "IsHelper", "SystemDecommissioned" };
    private static readonly HashSet<string> Nullable = new(StringComparer.Ordinal) { "LastStartTime", "LastHeartbeat", "Version" };

    public static Command Create(CliConsole console)
    {
        var feHost = new Option<string?>("--fe-host") { Description = "The FE's address (required)." };
        var queryPort = new Option<int>("--query-port") { Description = "The FE's MySQL-protocol port.", DefaultValueFactory = _ => 9030 };
        var user = new Option<string?>("--user") { Description = "User with the right to SHOW FRONTENDS and SHOW BACKENDS (required)." };
        var password = new Option<string?>("--password") { Description = "Its password (visible in the process list; upstream's flag, kept for its scripts)." };
        var ca = new Option<string?>("--ssl-ca") { Description = "CA certificate (PEM) that signed the FE's; with --ssl-cert and --ssl-key." };
        var cert = new Option<string?>("--ssl-cert") { Description = "Client certificate (PEM)." };
        var key = new Option<string?>("--ssl-key") { Description = "Client private key (PEM)." };
        var output = new Option<string?>("--output", "-o") { Description = "JSON (default), or custom-columns=<path> for one field, e.g. custom-columns=role or custom-columns=tag.location." };
        var host = new Argument<string>("host") { Description = "The node's Host as SHOW FRONTENDS / SHOW BACKENDS print it." };
        var node = new Command("node", "Show one FE or BE as the FE reports it (upstream dorisctl compatible).") { host, feHost, queryPort, user, password, ca, cert, key, output };
        node.SetAction(async (parse, cancellationToken) =>
        {
            var options = Connection(parse.GetValue(feHost), parse.GetValue(queryPort), parse.GetValue(user), parse.GetValue(password), parse.GetValue(ca), parse.GetValue(cert), parse.GetValue(key));
            var format = parse.GetValue(output);
            string? column = null;
            if (format is { Length: > 0 })
            {
                var parts = format.Split('=', 2);
                if (parts[0] != "custom-columns" || parts.Length != 2 || parts[1].Length == 0)
                {
                    throw new CliException(ExitCodes.Usage, $"-o '{format}' is not an output this command knows; leave it out for JSON or give custom-columns=<field>, e.g. custom-columns=tag.compute_group_name");
                }

                column = parts[1];
            }

            JsonObject? found;
            var hosts = new List<string>();
            await using (var pool = new MySqlPool(options))
            {
                try
                {
                    found = Find(await pool.QueryAsync("SHOW FRONTENDS", cancellationToken).ConfigureAwait(false), parse.GetValue(host)!, hosts)
                            ?? Find(await pool.QueryAsync("SHOW BACKENDS", cancellationToken).ConfigureAwait(false), parse.GetValue(host)!, hosts);
                }
                catch (Exception e) when (e is MySqlException or IOException or System.Net.Sockets.SocketException or TimeoutException)
                {
                    throw new CliException(ExitCodes.Unreadable, $"cannot query the FE at {options.Host}:{options.Port} as {options.User}: {e.Message}");
                }
            }

            if (found is null)
            {
                throw new CliException(ExitCodes.Invalid, $"no frontend or backend has Host '{parse.GetValue(host)}'; the FE lists: {string.Join(", ", hosts)}");
            }

            await console.Out.WriteLineAsync(column is null ? found.ToJsonString(Indented) : Field(found, column)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return new Command("get", "Read cluster metadata from the FE (upstream dorisctl's get; resource: node).") { node };
    }

    /// <summary>
    /// Upstream takes its connection flags before the command too (<c>dorisctl --fe-host x --user root get node h</c>);
    /// such a line is reordered so they come last (they belong to <c>get node</c>). Any other line is returned unchanged.
    /// </summary>
    public static string[] Reorder(string[] args)
    {
        var i = 0;
        while (i < args.Length && GlobalFlags.Any(f => args[i] == f || args[i].StartsWith(f + "=", StringComparison.Ordinal)))
        {
            i += args[i].Contains('=', StringComparison.Ordinal) ? 1 : 2;
        }

        return i > 0 && i < args.Length && args[i] == "get" ? [.. args[i..], .. args[..i]] : args;
    }

    private static MySqlOptions Connection(string? host, int port, string? user, string? password, string? ca, string? cert, string? key)
    {
        if (string.IsNullOrEmpty(host))
        {
            throw new CliException(ExitCodes.Usage, "--fe-host is required: the FE's address, e.g. --fe-host 127.0.0.1 after 'kubectl port-forward svc/<cluster>-fe-service 9030'");
        }

        if (string.IsNullOrEmpty(user))
        {
            throw new CliException(ExitCodes.Usage, "--user is required: a user allowed to SHOW FRONTENDS and SHOW BACKENDS (e.g. --user root)");
        }

        if (port is < 1 or > 65535)
        {
            throw new CliException(ExitCodes.Usage, $"--query-port {port} is not a port; give 1-65535 (the FE's query_port, 9030 by default)");
        }

        var options = new MySqlOptions(host, port, user, password ?? string.Empty)
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AccessDeniedHint = new AccessDeniedHint("check --user and --password", "if the FE accepts TLS only (enable_tls in fe.conf), give --ssl-ca, --ssl-cert and --ssl-key"),
        };
        if (ca is null && cert is null && key is null)
        {
            return options;
        }

        if (ca is null || cert is null || key is null)
        {
            throw new CliException(ExitCodes.Usage, "--ssl-ca, --ssl-cert and --ssl-key go together (as upstream requires): give all three PEM files, or none for a plain connection");
        }

        try
        {
            return options with
            {
                Tls = TlsMode.Required,
                CertificateAuthority = X509CertificateLoader.LoadCertificateFromFile(ca),
                ClientCertificate = X509Certificate2.CreateFromPemFile(cert, key),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException(ExitCodes.Unreadable, $"cannot load the TLS files (--ssl-ca {ca}, --ssl-cert {cert}, --ssl-key {key}): {e.Message}");
        }
    }

    private static JsonObject? Find(ResultSet rows, string host, List<string> hosts)
    {
        var at = rows.IndexOf("Host");
        foreach (var row in rows.Rows)
        {
            hosts.Add(row[at] ?? string.Empty);
            if (row[at] == host)
            {
                var json = new JsonObject();
                for (var c = 0; c < rows.Columns.Count; c++)
                {
                    json[SnakeCase(rows.Columns[c])] = Value(rows.Columns[c], row[c]);
                }

                return json;
            }
        }

        return null;
    }

    private static JsonNode? Value(string column, string? text) =>
        text is null || (Nullable.Contains(column) && text is "" or "N/A") ? null
        : Integers.Contains(column) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n)
        : Booleans.Contains(column) ? JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1")
        : JsonValue.Create(text);

    /// <summary>SHOW output's column names as upstream's JSON keys: EditLogPort is edit_log_port, BackendId backend_id.</summary>
    internal static string SnakeCase(string column)
    {
        var s = new System.Text.StringBuilder();
        for (var i = 0; i < column.Length; i++)
        {
            if (char.IsUpper(column[i]) && i > 0 && (char.IsLower(column[i - 1]) || (i + 1 < column.Length && char.IsLower(column[i + 1]))))
            {
                s.Append('_');
            }

            s.Append(char.ToLowerInvariant(column[i]));
        }

        return s.ToString();
    }

    /// <summary>One field by dotted path, printed as upstream's gjson would (strings bare, missing as an empty line).</summary>
    private static string Field(JsonObject row, string path)
    {
        JsonNode? node = row;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length && node is not null; i++)
        {
            // A backend's Tag is a JSON document inside a string: read into it.
            if (node is JsonValue v && v.TryGetValue<string>(out var nested) && nested.TrimStart().StartsWith('{'))
            {
                try
                {
                    node = JsonNode.Parse(nested);
                }
                catch (JsonException)
                {
                    return string.Empty; // a Tag that is not JSON has no fields: an empty line, as upstream's gjson prints
                }
            }

            node = node is JsonObject o ? o[parts[i]] : null;
        }

        if (node is JsonValue tail && tail.TryGetValue<string>(out var inner) && parts[^1] == "tag" && inner.TrimStart().StartsWith('{'))
        {
            return inner;
        }

        return node switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4, TypeInfoResolver = Doris.Kubernetes.Serialization.KubernetesJsonContext.Default };
}
