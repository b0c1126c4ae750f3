using Doris.Api.V1;

namespace Doris.Api;

public static class DorisComponentExtensions
{
    public static IReadOnlyList<DorisComponent> All { get; } = [DorisComponent.Fe, DorisComponent.Be, DorisComponent.Cn, DorisComponent.Broker];

    /// <summary>The short name used in object names, labels and container names (<c>fe</c>, <c>be</c>, <c>cn</c>, <c>broker</c>).</summary>
    public static string Key(this DorisComponent component) => component switch
    {
        DorisComponent.Fe => "fe",
        DorisComponent.Be => "be",
        DorisComponent.Cn => "cn",
        DorisComponent.Broker => "broker",
        _ => throw new ArgumentOutOfRangeException(nameof(component)),
    };

    /// <summary>The spec field that configures the component (<c>feSpec</c>...), for error paths.</summary>
    public static string SpecField(this DorisComponent component) => component.Key() + "Spec";

    public static ComponentSpec? SpecOf(this DorisClusterSpec spec, DorisComponent component) => component switch
    {
        DorisComponent.Fe => spec.FeSpec,
        DorisComponent.Be => spec.BeSpec,
        DorisComponent.Cn => spec.CnSpec,
        DorisComponent.Broker => spec.BrokerSpec,
        _ => throw new ArgumentOutOfRangeException(nameof(component)),
    };

    /// <summary>
    /// The pods the component should have: the spec's replicas, and with a CN autoscaler the replicas the HPA set
    /// through the scale subresource, kept inside the autoscaler's range (its minimum when unset).
    /// </summary>
    public static int DesiredReplicas(this ComponentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec is CnSpec { AutoScalingPolicy: { } policy })
        {
            var min = policy.MinReplicas ?? 1;
            var max = Math.Max(policy.MaxReplicas ?? min, min);
            return Math.Clamp(spec.Replicas ?? min, min, max);
        }

        return spec.Replicas ?? 0;
    }

    /// <summary>BE and CN run the same backend binary and share be.conf.</summary>
    public static bool IsBackend(this DorisComponent component) => component is DorisComponent.Be or DorisComponent.Cn;
}
