using System.Buffers.Binary;

namespace Doris.Kubernetes.Emulator.Http.Spdy;

/// <summary>One SPDY/3.1 frame: a control frame (type, flags, payload) or a data frame (stream, flags, payload).</summary>
internal sealed record SpdyFrame(bool Control, int Type, int StreamId, byte Flags, byte[] Payload)
{
    public const int SynStream = 1;
    public const int SynReply = 2;
    public const int RstStream = 3;
    public const int Settings = 4;
    public const int Ping = 6;
    public const int GoAway = 7;
    public const int Headers = 8;
    public const int WindowUpdate = 9;
    public const byte Fin = 0x01;

    // Larger than any frame port-forward needs (spdystream writes at most 32 KiB of data per frame).
    private const int MaxPayload = 1 << 20;

    /// <summary>Reads the next frame, or null when the peer closed the connection between frames.</summary>
    public static async Task<SpdyFrame?> ReadAsync(Stream from, CancellationToken cancellationToken)
    {
        var head = new byte[8];
        if (!await FillAsync(from, head, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var control = (head[0] & 0x80) != 0;
        var length = (head[5] << 16) | (head[6] << 8) | head[7];
        if (length > MaxPayload)
        {
            throw new InvalidDataException($"a SPDY frame of {length} bytes is larger than {MaxPayload}");
        }

        var payload = new byte[length];
        if (!await FillAsync(from, payload, cancellationToken).ConfigureAwait(false))
        {
            throw new EndOfStreamException("the SPDY connection ended inside a frame");
        }

        if (control)
        {
            var version = BinaryPrimitives.ReadUInt16BigEndian(head) & 0x7FFF;
            if (version != 3)
            {
                throw new InvalidDataException($"SPDY version {version} is not 3");
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(2));
            var stream = type is SynStream or SynReply or RstStream or Headers or WindowUpdate && length >= 4 ? (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF) : 0;
            return new SpdyFrame(true, type, stream, head[4], payload);
        }

        return new SpdyFrame(false, 0, (int)(BinaryPrimitives.ReadUInt32BigEndian(head) & 0x7FFFFFFF), head[4], payload);
    }

    public static byte[] Data(int streamId, ReadOnlySpan<byte> data, bool fin)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)streamId & 0x7FFFFFFF);
        frame[4] = fin ? Fin : (byte)0;
        WriteLength(frame, data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    public static byte[] ControlFrame(int type, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)type);
        frame[4] = flags;
        WriteLength(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    private static void WriteLength(byte[] frame, int length)
    {
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }

    private static async Task<bool> FillAsync(Stream from, byte[] buffer, CancellationToken cancellationToken)
    {
        var at = 0;
        while (at < buffer.Length)
        {
            var read = await from.ReadAsync(buffer.AsMemory(at), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return at == 0 ? false : throw new EndOfStreamException("the SPDY connection ended inside a frame");
            }

            at += read;
        }

        return true;
    }
}
