using System.Security.Cryptography.X509Certificates;

namespace Doris.Sql;

public enum TlsMode
{
    /// <summary>Plain TCP.</summary>
    Disabled,

    /// <summary>TLS when the server offers it, with the certificate verified; plain otherwise.</summary>
    Preferred,

    /// <summary>TLS or no connection.</summary>
    Required,
}

/// <summary>Where and as whom to connect. The password is only ever sent scrambled and never appears in messages.</summary>
public sealed record MySqlOptions(string Host, int Port, string User, string Password)
{
    public string? Database { get; init; }

    public TlsMode Tls { get; init; } = TlsMode.Disabled;

    /// <summary>Trust anchor for the server certificate (else the system store). Verification is never switched off.</summary>
    public X509Certificate2? CertificateAuthority { get; init; }

    /// <summary>The client's certificate, with its private key, for servers that verify clients (Doris FE with mutual TLS).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What to check when the server answers 1045 (access denied), in the caller's terms: the operator's default
    /// names the cluster's authSecret and fe.conf; a command-line tool names its flags.
    /// </summary>
    public AccessDeniedHint AccessDeniedHint { get; init; } = AccessDeniedHint.Operator;

    public override string ToString() => $"{User}@{Host}:{Port}"; // never the password
}

/// <param name="Credentials">Where the user and password come from.</param>
/// <param name="Plain">What to do when the server may accept TLS only (a TLS-only server refuses a plain login with the same 1045).</param>
public sealed record AccessDeniedHint(string Credentials, string Plain)
{
    public static AccessDeniedHint Operator { get; } = new(
        "check the user and password in the cluster's authSecret",
        "if the FE accepts TLS only, fe.conf in the FE ConfigMap must say enable_tls = true so the operator connects with TLS");
}
