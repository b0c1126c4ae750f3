using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>The Doris container: the official image's entrypoint, ports, probes, preStop and environment.</summary>
internal static class MainContainerBuilder
{
    public static Container Build(ComponentContext c, IReadOnlyList<VolumeMount> mounts)
    {
        var (entrypoint, prestop) = c.Component switch
        {
            DorisComponent.Fe => ("fe_entrypoint.sh", "fe_prestop.sh"),
            DorisComponent.Broker => ("broker_entrypoint.sh", "broker_prestop.sh"),
            _ => ("be_entrypoint.sh", "be_prestop.sh"),
        };

        // Upstream declares no container ports for CN; kept so an adopted CN StatefulSet does not roll.
        IReadOnlyList<ContainerPort>? ports = c.Component == DorisComponent.Cn
            ? null
            : [.. ComponentPorts.For(c.Component, c.Config).Select(p => new ContainerPort { Name = p.Name, ContainerPortValue = p.Port, Protocol = Protocol(c.Component, p.Name) })];

        return new Container
        {
            Name = c.Key,
            Image = c.Spec.Image,
            ImagePullPolicy = "IfNotPresent",
            Command = [$"{DorisDefaults.DorisRoot}/{entrypoint}"],
            Args = ["$(ENV_FE_ADDR)"],
            Ports = ports,
            Env = EnvBuilder.Build(c),
            Resources = InitContainerBuilder.Resources(c.Spec.Requests, c.Spec.Limits, c.Spec.Claims),
            VolumeMounts = mounts,
            LivenessProbe = ProbeBuilder.Liveness(c),
            StartupProbe = ProbeBuilder.Startup(c),
            ReadinessProbe = ProbeBuilder.Readiness(c),
            Lifecycle = new Lifecycle { PreStop = new LifecycleHandler { Exec = new ExecAction { Command = [$"{DorisDefaults.DorisRoot}/{prestop}"] } } },
            SecurityContext = SecurityContext(c),
        };
    }

    /// <summary>
    /// Upstream writes <c>protocol: TCP</c> on every port but BE's <c>be-port</c> and the broker's; the API server
    /// defaults the rest to TCP, so this only keeps our object equal to upstream's field for field.
    /// </summary>
    private static string? Protocol(DorisComponent component, string port) =>
        component == DorisComponent.Broker || port == "be-port" ? null : "TCP";

    private static SecurityContext? SecurityContext(ComponentContext c)
    {
        var context = c.Spec.ContainerSecurityContext;

        // Workload groups create cgroups under /sys/fs/cgroup, which needs a privileged container.
        if (c.Spec is BeSpec { EnableWorkloadGroup: true })
        {
            return (context ?? new SecurityContext()) with { Privileged = true };
        }

        return context;
    }
}
