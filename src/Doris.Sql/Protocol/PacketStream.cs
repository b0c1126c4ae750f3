namespace Doris.Sql.Protocol;

/// <summary>
/// MySQL packet framing over a stream: 3-byte length, 1-byte sequence id, payload. Payloads of 16 MiB - 1 or more
/// are split into several packets and joined again on reading, as the protocol requires.
/// </summary>
public sealed class PacketStream(Stream stream)
{
    public const int MaxPacket = 0xFFFFFF;

    public Stream Stream { get; set; } = stream;

    public byte Sequence { get; set; }

    /// <summary>Reads one logical payload (joining continuation packets).</summary>
    public async Task<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        using var payload = new MemoryStream();
        var header = new byte[4];
        while (true)
        {
            await FillAsync(header, cancellationToken).ConfigureAwait(false);
            var length = header[0] | (header[1] << 8) | (header[2] << 16);
            if (header[3] != Sequence)
            {
                throw new MySqlProtocolException($"packet out of order: expected sequence {Sequence}, got {header[3]}");
            }

            Sequence++;
            var chunk = new byte[length];
            await FillAsync(chunk, cancellationToken).ConfigureAwait(false);
            payload.Write(chunk);
            if (length < MaxPacket)
            {
                return payload.ToArray();
            }
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (true)
        {
            var length = Math.Min(MaxPacket, payload.Length - offset);
            var header = new byte[] { (byte)length, (byte)(length >> 8), (byte)(length >> 16), Sequence++ };
            await Stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await Stream.WriteAsync(payload.Slice(offset, length), cancellationToken).ConfigureAwait(false);
            offset += length;
            if (length < MaxPacket)
            {
                break; // a payload that is an exact multiple of the maximum ends with an empty packet
            }
        }

        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FillAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await Stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new MySqlProtocolException($"the server closed the connection in the middle of a packet ({read} of {buffer.Length} bytes read)");
            }

            read += n;
        }
    }
}
