using System.Buffers.Binary;
using System.Text;

namespace Doris.Sql.Protocol;

/// <summary>Reads protocol fields from one packet payload; every read is bounds-checked, so a truncated packet is a protocol error, never an index exception.</summary>
public ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public readonly int Remaining => _payload.Length - _position;

    public readonly bool AtEnd => _position >= _payload.Length;

    public byte Byte() => Take(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint UInt24()
    {
        var b = Take(3);
        return (uint)(b[0] | (b[1] << 8) | (b[2] << 16));
    }

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> Bytes(int count) => Take(count);

    public ReadOnlySpan<byte> Rest() => Take(Remaining);

    /// <summary>A length-encoded integer; null for the 0xFB NULL marker (only valid in rows).</summary>
    public ulong? LengthEncoded()
    {
        var first = Byte();
        return first switch
        {
            < 0xFB => first,
            0xFB => null,
            0xFC => UInt16(),
            0xFD => UInt24(),
            0xFE => UInt64(),
            _ => throw new MySqlProtocolException("invalid length-encoded integer prefix 0xFF"),
        };
    }

    public string? LengthEncodedString()
    {
        var length = LengthEncoded();
        if (length is null)
        {
            return null;
        }

        if (length > (ulong)Remaining)
        {
            throw new MySqlProtocolException($"a string of {length} bytes does not fit in the {Remaining} bytes left in the packet");
        }

        return Encoding.UTF8.GetString(Take((int)length.Value));
    }

    public string NullTerminated()
    {
        var rest = _payload[_position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new MySqlProtocolException("a NUL-terminated string runs past the end of the packet");
        }

        _position += end + 1;
        return Encoding.UTF8.GetString(rest[..end]);
    }

    public string RestAsString() => Encoding.UTF8.GetString(Rest());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new MySqlProtocolException($"the packet ends early: needed {count} more bytes, {Remaining} left");
        }

        var span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }
}
