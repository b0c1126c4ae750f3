using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// Host tuning before Doris starts. These containers are privileged because sysctl, swapoff and
/// transparent-hugepage settings are node-wide kernel settings that an unprivileged container cannot change.
/// </summary>
internal static class InitContainerBuilder
{
    /// <summary>
    /// Doris BE needs vm.max_map_count of at least 2,000,000 and no swap; transparent hugepages cause latency
    /// spikes and Doris warns about them at start. THP is best-effort: some node images mount /sys read-only.
    /// </summary>
    public const string HostTuningScript =
        "sysctl -w vm.max_map_count=2000000 && swapoff -a"
        + " && { echo never > /sys/kernel/mm/transparent_hugepage/enabled; echo never > /sys/kernel/mm/transparent_hugepage/defrag; true; }";

    public static IReadOnlyList<Container> Build(ComponentContext c)
    {
        var containers = new List<Container>();
        var init = c.Spec.SystemInitialization;
        var skipDefault = c.Spec switch
        {
            BeSpec be => be.SkipDefaultSystemInit == true,
            CnSpec cn => cn.SkipDefaultSystemInit == true,
            _ => true,
        };
        // Upstream runs BE's init containers with the BE image (already pulled) wherever they would use the
        // default alpine image: the tuning one and the user's "init" alike. CN keeps alpine.
        string ImageOf(string? initImage)
        {
            var image = string.IsNullOrEmpty(initImage) ? DorisDefaults.InitImage : initImage;
            return c.Component == DorisComponent.Be && image == DorisDefaults.InitImage ? c.Spec.Image! : image;
        }

        if (!skipDefault)
        {
            containers.Add(new Container
            {
                Name = "default-init",
                Image = ImageOf(init?.InitImage),
                ImagePullPolicy = "IfNotPresent",
                Command = ["/bin/sh"],
                Args = ["-c", HostTuningScript],
                SecurityContext = new SecurityContext { Privileged = true },
            });
        }

        if (init is not null)
        {
            containers.Add(new Container
            {
                Name = "init",
                Image = ImageOf(init.InitImage),
                ImagePullPolicy = "IfNotPresent",
                Command = init.Command is { Count: > 0 } ? init.Command : null,
                Args = init.Args is { Count: > 0 } ? init.Args : null,
                Resources = Resources(init.Requests, init.Limits, init.Claims),
                SecurityContext = new SecurityContext { Privileged = true },
            });
        }

        return containers;
    }

    internal static ResourceRequirements? Resources(IReadOnlyDictionary<string, Quantity>? requests, IReadOnlyDictionary<string, Quantity>? limits, IReadOnlyList<ResourceClaim>? claims) =>
        requests is null && limits is null && claims is null ? null : new ResourceRequirements { Requests = requests, Limits = limits, Claims = claims };
}
