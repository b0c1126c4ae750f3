using System.Security.Cryptography;
using System.Text;

namespace Doris.Desired.Tests;

public sealed class ConfigHashTests
{
    private static string Sha(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Compute_SortsKeysAndEscapesAsGoJsonMarshal()
    {
        var properties = new Dictionary<string, string> { ["b_key"] = "x<y>&z", ["a_key"] = "say \"hi\"\\" };

        // Go's json.Marshal of map[string]interface{}: sorted keys, HTML-sensitive characters as \u00XX.
        ConfigHash.Compute(properties).ShouldBe(Sha("""{"a_key":"say \"hi\"\\","b_key":"x\u003cy\u003e\u0026z"}"""));
    }

    [Fact]
    public void Compute_SameContentInAnotherOrder_SameHash() =>
        ConfigHash.Compute(new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" })
            .ShouldBe(ConfigHash.Compute(new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" }));
}
