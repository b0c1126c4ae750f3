namespace Doris.Sandbox.Tests;

/// <summary>Runs a simulated-time driver in quarter-second steps until a condition holds, or fails saying what did not happen.</summary>
internal static class Drive
{
    public static async Task<TimeSpan> UntilAsync(SimulatedDriver driver, Func<Task<bool>> condition, TimeSpan limit, string what, Func<string>? diagnose = null)
    {
        var start = driver.Clock.GetUtcNow();
        while (!await condition())
        {
            if (driver.Clock.GetUtcNow() - start > limit)
            {
                Assert.Fail($"{what}: not within {limit.TotalSeconds}s of simulated time. {diagnose?.Invoke()}");
            }

            await driver.StepAsync(TimeSpan.FromMilliseconds(250));
        }

        return driver.Clock.GetUtcNow() - start;
    }
}
