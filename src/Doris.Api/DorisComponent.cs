namespace Doris.Api;

/// <summary>The four kinds of Doris process a DorisCluster runs.</summary>
public enum DorisComponent
{
    Fe,
    Be,
    Cn,
    Broker,
}
