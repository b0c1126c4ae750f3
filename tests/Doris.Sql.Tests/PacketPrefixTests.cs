using Doris.Sql.Protocol;

namespace Doris.Sql.Tests;

/// <summary>Every prefix of a valid packet is refused with a protocol error, never an index or null exception.</summary>
public sealed class PacketPrefixTests
{
    private static readonly byte[] Greeting = new Handshake("5.7.99-doris", 42, [.. Enumerable.Range(1, 20).Select(i => (byte)i)], Capabilities.Protocol41 | Capabilities.SecureConnection | Capabilities.PluginAuth, 33, "mysql_native_password").Write();
    private static readonly byte[] Error = new ServerError(1146, "42S02", "Table 'x' doesn't exist").Write();
    private static readonly byte[] Ok = ServerOk.Write(3);
    private static readonly byte[] Column = new PayloadWriter().LengthEncodedString("def").LengthEncodedString("").LengthEncodedString("").LengthEncodedString("")
        .LengthEncodedString("Host").LengthEncodedString("Host").LengthEncoded(12).UInt16(33).UInt32(255).Byte(0xFD).UInt16(0).Byte(0).Zeros(2).ToArray();
    private static readonly byte[] Row = new PayloadWriter().LengthEncodedString("10.0.0.1").LengthEncodedString(null).LengthEncodedString(new string('z', 300)).ToArray();

    [Fact]
    public void Parsers_WholePackets_RoundTrip()
    {
        var h = Handshake.Parse(Greeting);
        h.ServerVersion.ShouldBe("5.7.99-doris");
        h.Scramble.Length.ShouldBe(20);
        ServerError.Parse(Error).ShouldBe(new ServerError(1146, "42S02", "Table 'x' doesn't exist"));
        ServerOk.Parse(Ok).AffectedRows.ShouldBe(3UL);
        MySqlConnection.ColumnName(Column).ShouldBe("Host");
        MySqlConnection.ReadRow(Row, 3).ShouldBe(["10.0.0.1", null, new string('z', 300)]);
    }

    [Fact]
    public void Parsers_EveryPrefix_ThrowProtocolErrors()
    {
        foreach (var (name, packet, parse) in new (string, byte[], Action<byte[]>)[]
        {
            ("handshake", Greeting, p => Handshake.Parse(p)),
            ("ok", Ok, p => ServerOk.Parse(p)),
            ("column", Column, p => MySqlConnection.ColumnName(p)),
            ("row", Row, p => MySqlConnection.ReadRow(p, 3)),
        })
        {
            for (var length = 0; length < packet.Length; length++)
            {
                var prefix = packet[..length];
                Should.Throw<MySqlProtocolException>(() => parse(prefix), $"{name} cut at {length} of {packet.Length} bytes");
            }
        }
    }

    [Fact]
    public async Task PacketStream_EveryPrefixOfTheWire_IsAProtocolErrorNotAHang()
    {
        var wire = new MemoryStream();
        var writer = new PacketStream(wire);
        await writer.WriteAsync(Row, default);
        var bytes = wire.ToArray();

        for (var length = 0; length < bytes.Length; length++)
        {
            var reader = new PacketStream(new MemoryStream(bytes[..length]));
            await Should.ThrowAsync<MySqlProtocolException>(() => reader.ReadAsync(default));
        }

        (await new PacketStream(new MemoryStream(bytes)).ReadAsync(default)).ShouldBe(Row);
    }

    [Fact]
    public async Task PacketStream_PayloadOfExactlyTheMaximum_EndsWithAnEmptyPacket()
    {
        var payload = new byte[PacketStream.MaxPacket];
        payload[^1] = 7;
        var wire = new MemoryStream();
        await new PacketStream(wire).WriteAsync(payload, default);

        wire.Length.ShouldBe(PacketStream.MaxPacket + 4 + 4);
        wire.Position = 0;
        var read = await new PacketStream(wire).ReadAsync(default);
        read.Length.ShouldBe(PacketStream.MaxPacket);
        read[^1].ShouldBe((byte)7);
    }

    [Fact]
    public void NativePassword_KnownVector_MatchesTheServerCheck()
    {
        var scramble = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var answer = NativePassword.Scramble("secret", scramble);

        answer.Length.ShouldBe(20);
        NativePassword.Verify("secret", scramble, answer).ShouldBeTrue();
        NativePassword.Verify("Secret", scramble, answer).ShouldBeFalse();
        NativePassword.Scramble(string.Empty, scramble).ShouldBeEmpty();
    }
}
