using Doris.Kubernetes.Client;

namespace Doris.Operator.Cluster;

public static class DorisClusterResource
{
    public const string ApiVersion = "doris.selectdb.com/v1";

    public const string Kind = "DorisCluster";

    public static readonly ResourceDescriptor Descriptor = new("doris.selectdb.com", "v1", "dorisclusters", true);

    public static readonly ResourceDescriptor HorizontalPodAutoscalersV1 = new("autoscaling", "v1", "horizontalpodautoscalers", true);
}
