namespace Doris.Testing;

/// <summary>A clock that only moves when a test says so (the SDK's testing package is not in our mirror).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
