namespace Doris.Operator.Runtime;

/// <summary>How an informer watches and how it backs off when the API server will not let it.</summary>
public sealed record InformerOptions
{
    /// <summary>Each watch asks to be ended after a random time between this and twice this (client-go: 5 minutes).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
