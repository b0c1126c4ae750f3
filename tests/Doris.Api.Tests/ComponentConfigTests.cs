using Doris.Api.Config;

namespace Doris.Api.Tests;

public sealed class ComponentConfigTests
{
    [Fact]
    public void FromFile_JavaProperties_ReadsPortsWithLowerCasedKeys()
    {
        var config = ComponentConfig.FromFile("# comment\nHTTP_PORT = 18030\nquery_port:19030\n! other comment\nmeta_dir = /data/meta\nlong = a \\\n  b\n");

        config.HttpPort.ShouldBe(18030);
        config.QueryPort.ShouldBe(19030);
        config.RpcPort.ShouldBe(9020);
        config.MetaDir.ShouldBe("/data/meta");
        config.Get("long").ShouldBe("a b");
    }

    [Fact]
    public void None_NoConfigMap_MeansFqdnModeAndDefaults()
    {
        ComponentConfig.None.FqdnMode.ShouldBeTrue();
        ComponentConfig.None.HeartbeatPort.ShouldBe(9050);
        ComponentConfig.None.ArrowFlightPort.ShouldBeNull();
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("enable_fqdn_mode = true", true)]
    [InlineData("enable_fqdn_mode = false", false)]
    public void FqdnMode_WithConfigMap_NeedsTheKeySetToTrue(string text, bool fqdn) =>
        ComponentConfig.FromFile(text).FqdnMode.ShouldBe(fqdn);

    [Fact]
    public void ArrowFlightPort_WhenSet_IsReturned() =>
        ComponentConfig.FromFile("arrow_flight_sql_port = 8070").ArrowFlightPort.ShouldBe(8070);
}
