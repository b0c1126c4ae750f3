using Doris.Api.Crd;
using Doris.Kubernetes.Client;

namespace Doris.Operator.Disaggregated;

public static class DisaggregatedResource
{
    public static readonly ResourceDescriptor Descriptor = new(DorisDisaggregatedClusterCrd.Group, DorisDisaggregatedClusterCrd.Version, DorisDisaggregatedClusterCrd.Plural, true);
}
