using System.Security.Cryptography;
using System.Text;

namespace Doris.Sql.Protocol;

/// <summary>The server's greeting (protocol version 10).</summary>
public sealed record Handshake(string ServerVersion, uint ConnectionId, byte[] Scramble, Capabilities Capabilities, byte Charset, string AuthPlugin)
{
    public static Handshake Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var protocol = r.Byte();
        if (protocol == 0xFF)
        {
            var error = ServerError.Parse(payload);
            throw new MySqlServerException(error.Code, error.SqlState, error.Message);
        }

        if (protocol != 10)
        {
            throw new MySqlProtocolException($"unsupported handshake protocol version {protocol}; only version 10 (MySQL 4.1 and later) is spoken");
        }

        var version = r.NullTerminated();
        var id = r.UInt32();
        var part1 = r.Bytes(8).ToArray();
        r.Byte();
        var caps = (uint)r.UInt16();
        var charset = r.Byte();
        r.UInt16(); // status flags
        caps |= (uint)r.UInt16() << 16;
        var authLength = r.Byte();
        r.Bytes(10);
        var part2 = Array.Empty<byte>();
        if (((Capabilities)caps).HasFlag(Capabilities.SecureConnection))
        {
            var length = Math.Max(13, authLength - 8);
            part2 = r.Bytes(length).ToArray();
            if (part2.Length > 0 && part2[^1] == 0)
            {
                part2 = part2[..^1];
            }
        }

        var plugin = ((Capabilities)caps).HasFlag(Capabilities.PluginAuth) ? r.NullTerminated() : "mysql_native_password";
        return new Handshake(version, id, [.. part1, .. part2], (Capabilities)caps, charset, plugin);
    }

    public byte[] Write()
    {
        var w = new PayloadWriter().Byte(10).NullTerminated(ServerVersion).UInt32(ConnectionId).Bytes(Scramble.AsSpan(0, 8)).Byte(0)
            .UInt16((ushort)Capabilities).Byte(Charset).UInt16(2).UInt16((ushort)((uint)Capabilities >> 16))
            .Byte((byte)(Scramble.Length + 1)).Zeros(10).Bytes(Scramble.AsSpan(8)).Byte(0).NullTerminated(AuthPlugin);
        return w.ToArray();
    }
}

/// <summary>An ERR packet.</summary>
public sealed record ServerError(int Code, string SqlState, string Message)
{
    public static ServerError Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        if (r.Byte() != 0xFF)
        {
            throw new MySqlProtocolException("expected an ERR packet");
        }

        var code = r.UInt16();
        var state = "HY000";
        if (!r.AtEnd && r.Remaining >= 6 && payload[3] == (byte)'#')
        {
            r.Byte();
            state = Encoding.ASCII.GetString(r.Bytes(5));
        }

        return new ServerError(code, state, r.RestAsString());
    }

    public byte[] Write() => new PayloadWriter().Byte(0xFF).UInt16((ushort)Code).Byte((byte)'#').Text(SqlState.PadRight(5)[..5]).Text(Message).ToArray();
}

/// <summary>An OK packet.</summary>
public sealed record ServerOk(ulong AffectedRows, ulong LastInsertId, string Info)
{
    public static ServerOk Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var header = r.Byte();
        if (header is not (0x00 or 0xFE))
        {
            throw new MySqlProtocolException($"expected an OK packet, got header 0x{header:X2}");
        }

        var affected = r.LengthEncoded() ?? 0;
        var insertId = r.LengthEncoded() ?? 0;
        r.UInt16(); // status
        r.UInt16(); // warnings
        return new ServerOk(affected, insertId, r.RestAsString());
    }

    public static byte[] Write(ulong affected = 0) => new PayloadWriter().Byte(0).LengthEncoded(affected).LengthEncoded(0).UInt16(2).UInt16(0).ToArray();
}

/// <summary>mysql_native_password: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))).</summary>
public static class NativePassword
{
    public static byte[] Scramble(string password, ReadOnlySpan<byte> scramble)
    {
        if (string.IsNullOrEmpty(password))
        {
            return [];
        }

        var stage1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var stage2 = SHA1.HashData(stage1);
        var mix = SHA1.HashData([.. scramble[..20], .. stage2]);
        for (var i = 0; i < mix.Length; i++)
        {
            mix[i] ^= stage1[i];
        }

        return mix;
    }

    /// <summary>The server side: does the client's answer prove knowledge of the password?</summary>
    public static bool Verify(string password, ReadOnlySpan<byte> scramble, ReadOnlySpan<byte> answer) =>
        CryptographicOperations.FixedTimeEquals(Scramble(password, scramble), answer);
}
