namespace Doris.Api;

/// <summary>Values upstream applies in code when a field is absent.</summary>
public static class DorisDefaults
{
    public const int ElectionNumber = 3;
    public const int MinStartTimeoutSeconds = 360;
    public const int LiveTimeoutSeconds = 180;
    public const int ProbePeriodSeconds = 5;
    public const int ProbeFailureThreshold = 3;
    public const int LivenessInitialDelaySeconds = 80;
    public const int FeGracePeriodSeconds = 330;
    public const int BeGracePeriodSeconds = 200;
    public const string InitImage = "selectdb/alpine:latest";
    public const string ConfigMountPath = "/etc/doris";
    public const string DorisRoot = "/opt/apache-doris";
    public const string FeMetaDir = "/opt/apache-doris/fe/doris-meta";
    public const string BeStorageDir = "/opt/apache-doris/be/storage";
    public const string BasicAuthMountPath = "/etc/basic_auth";
    public const string PodInfoMountPath = "/etc/podinfo";
    public const string Krb5MountPath = "/etc/krb5";
    public const string KeytabMountPath = "/etc/keytab";
    public const string AutoscalerVersion = "v2";
}
