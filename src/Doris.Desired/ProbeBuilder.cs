using Doris.Api;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>Liveness, startup and readiness probes with upstream's ports and timings.</summary>
internal static class ProbeBuilder
{
    public static Probe Liveness(ComponentContext c) => Check(c) with
    {
        PeriodSeconds = DorisDefaults.ProbePeriodSeconds,
        FailureThreshold = DorisDefaults.ProbeFailureThreshold,
        InitialDelaySeconds = DorisDefaults.LivenessInitialDelaySeconds,
        TimeoutSeconds = c.Spec.LiveTimeout is > 0 ? c.Spec.LiveTimeout : DorisDefaults.LiveTimeoutSeconds,
    };

    /// <summary>Startup gets <c>startTimeout</c> seconds (at least 360) before liveness may kill a slow start.</summary>
    public static Probe Startup(ComponentContext c) => Check(c) with
    {
        PeriodSeconds = DorisDefaults.ProbePeriodSeconds,
        FailureThreshold = Math.Max(c.Spec.StartTimeout ?? 0, DorisDefaults.MinStartTimeoutSeconds) / DorisDefaults.ProbePeriodSeconds,
    };

    public static Probe Readiness(ComponentContext c)
    {
        var policy = c.Spec.ReadinessProbePolicy;
        var probe = c.Component == Api.DorisComponent.Broker ? BrokerAlive(c) : HealthCheck(c);
        return probe with
        {
            PeriodSeconds = policy?.PeriodSeconds is > 0 ? policy.PeriodSeconds : DorisDefaults.ProbePeriodSeconds,
            FailureThreshold = policy?.FailureThreshold is > 0 ? policy.FailureThreshold : DorisDefaults.ProbeFailureThreshold,
            TimeoutSeconds = policy?.TimeoutSeconds is > 0 ? policy.TimeoutSeconds : null,
        };
    }

    /// <summary>Liveness and startup: a TCP connect to the port the debug mode also listens on, so a pod in debug mode stays alive.</summary>
    private static Probe Check(ComponentContext c) => c.Component == Api.DorisComponent.Broker
        ? BrokerAlive(c)
        : new Probe { TcpSocket = new TCPSocketAction { Port = ComponentPorts.Internal(c.Component, c.Config).Port } };

    private static Probe BrokerAlive(ComponentContext c) =>
        new() { Exec = new ExecAction { Command = [$"{DorisDefaults.DorisRoot}/broker_is_alive.sh", c.Config.BrokerIpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture)] } };

    /// <summary>
    /// <c>/api/health</c> on the HTTP port. In FQDN mode the probe first waits for the pod's own DNS name,
    /// because Doris registers members by FQDN and a member whose name does not resolve cannot join.
    /// </summary>
    private static Probe HealthCheck(ComponentContext c)
    {
        var port = ComponentPorts.Health(c.Component, c.Config);
        var tls = c.Config.TlsEnabled;
        var certs = tls ? $" --cacert {c.Config.TlsCaPath} --cert {c.Config.TlsCertificatePath} --key {c.Config.TlsPrivateKeyPath}" : string.Empty;
        var scheme = tls ? "https" : "http";
        if (c.Config.FqdnMode)
        {
            var script = $"host=$(hostname -f); (getent hosts \"$host\" >/dev/null 2>&1 || nslookup \"$host\" >/dev/null 2>&1) && curl --fail --silent --output /dev/null{certs} {scheme}://$host:{port}/api/health";
            return new Probe { Exec = new ExecAction { Command = ["bash", "-c", script] } };
        }

        if (tls)
        {
            return new Probe { Exec = new ExecAction { Command = ["bash", "-c", $"curl --fail --silent --output /dev/null{certs} https://localhost:{port}/api/health"] } };
        }

        return new Probe { HttpGet = new HTTPGetAction { Path = "/api/health", Port = port } };
    }
}
