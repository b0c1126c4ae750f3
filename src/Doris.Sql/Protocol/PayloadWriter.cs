using System.Buffers.Binary;
using System.Text;

namespace Doris.Sql.Protocol;

/// <summary>Builds one packet payload.</summary>
public sealed class PayloadWriter
{
    private readonly MemoryStream _buffer = new();

    public PayloadWriter Byte(byte value)
    {
        _buffer.WriteByte(value);
        return this;
    }

    public PayloadWriter UInt16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    public PayloadWriter UInt24(uint value) => Byte((byte)value).Byte((byte)(value >> 8)).Byte((byte)(value >> 16));

    public PayloadWriter UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    public PayloadWriter UInt64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    public PayloadWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public PayloadWriter Zeros(int count) => Bytes(new byte[count]);

    public PayloadWriter LengthEncoded(ulong value) => value switch
    {
        < 0xFB => Byte((byte)value),
        <= 0xFFFF => Byte(0xFC).UInt16((ushort)value),
        <= 0xFFFFFF => Byte(0xFD).UInt24((uint)value),
        _ => Byte(0xFE).UInt64(value),
    };

    public PayloadWriter LengthEncodedString(string? value)
    {
        if (value is null)
        {
            return Byte(0xFB);
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        return LengthEncoded((ulong)bytes.Length).Bytes(bytes);
    }

    public PayloadWriter NullTerminated(string value) => Bytes(Encoding.UTF8.GetBytes(value)).Byte(0);

    public PayloadWriter Text(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.ToArray();
}
