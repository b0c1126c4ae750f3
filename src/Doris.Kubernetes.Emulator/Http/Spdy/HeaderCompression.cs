using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Doris.Kubernetes.Emulator.Http.Spdy;

/// <summary>
/// SPDY/3 header blocks: name/value pairs in one zlib stream per direction, primed with the dictionary of the SPDY/3
/// draft. .NET's zlib takes no preset dictionary, so the client's stream is inflated behind a stored block that
/// holds the dictionary (back-references then find it in the window), and ours is written as stored blocks under a
/// header that names the dictionary: valid zlib any peer inflates. kubectl (spdystream) is the peer tested.
/// </summary>
internal sealed class HeaderCompression
{
    private static readonly byte[] Dictionary = BuildDictionary();

    private readonly MemoryStream _received = new();
    private int _inflated;
    private bool _headerSeen;
    private bool _headerSent;

    /// <summary>Decodes the next header block the client sent (its compressed bytes, in order).</summary>
    public IReadOnlyDictionary<string, string> Read(ReadOnlySpan<byte> compressed)
    {
        if (!_headerSeen)
        {
            // zlib header (2 bytes) and the dictionary's id (4 bytes); the deflate data follows.
            if (compressed.Length < 6 || (compressed[1] & 0x20) == 0)
            {
                throw new InvalidDataException("the SPDY header block does not start a zlib stream with a preset dictionary");
            }

            compressed = compressed[6..];
            _headerSeen = true;
        }

        _received.Write(compressed);
        if (_received.Length > 1 << 20)
        {
            throw new InvalidDataException("the SPDY header stream grew past 1 MiB");
        }

        using var input = new MemoryStream();
        WriteStoredBlock(input, Dictionary);
        input.Write(_received.GetBuffer(), 0, (int)_received.Length);
        input.Position = 0;
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        try
        {
            inflater.CopyTo(output);
        }
        catch (InvalidDataException) when (output.Length > 0)
        {
            // A stream that stops after a sync flush ends here: what was inflated is complete.
        }

        var all = output.GetBuffer().AsSpan(0, (int)output.Length)[Dictionary.Length..];
        var block = all[_inflated..];
        _inflated = all.Length;
        return Parse(block);
    }

    /// <summary>Encodes a header block for the client, continuing our zlib stream.</summary>
    public byte[] Write(IReadOnlyDictionary<string, string> headers)
    {
        using var plain = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, headers.Count);
        plain.Write(word);
        foreach (var (name, value) in headers)
        {
            foreach (var text in new[] { name, value })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(word, bytes.Length);
                plain.Write(word);
                plain.Write(bytes);
            }
        }

        using var compressed = new MemoryStream();
        if (!_headerSent)
        {
            compressed.Write([0x78, 0xBB]); // deflate, 32 KiB window, preset dictionary; the check bits make it a multiple of 31
            BinaryPrimitives.WriteUInt32BigEndian(word, Adler32(Dictionary));
            compressed.Write(word);
            _headerSent = true;
        }

        WriteStoredBlock(compressed, plain.ToArray());

        // A sync flush (an empty stored block), as zlib's Z_SYNC_FLUSH ends each block: an inflater hands out what it
        // has only at a block boundary it can see, and the peer's next header block is not here yet.
        WriteStoredBlock(compressed, []);
        return compressed.ToArray();
    }

    private static Dictionary<string, string> Parse(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = 0;
        int Next(ReadOnlySpan<byte> b)
        {
            if (at + 4 > b.Length)
            {
                throw new InvalidDataException("the SPDY header block is truncated");
            }

            var value = BinaryPrimitives.ReadInt32BigEndian(b[at..]);
            at += 4;
            return value;
        }

        string Text(ReadOnlySpan<byte> b, int length)
        {
            if (length < 0 || at + length > b.Length)
            {
                throw new InvalidDataException("the SPDY header block is truncated");
            }

            var text = Encoding.UTF8.GetString(b.Slice(at, length));
            at += length;
            return text;
        }

        var pairs = Next(block);
        for (var i = 0; i < pairs; i++)
        {
            var name = Text(block, Next(block));
            headers[name] = Text(block, Next(block));
        }

        return headers;
    }

    // A non-final stored deflate block (byte-aligned): BFINAL=0, BTYPE=00, then LEN and its complement.
    private static void WriteStoredBlock(Stream to, ReadOnlySpan<byte> data)
    {
        Span<byte> lengths = stackalloc byte[4];
        do
        {
            var chunk = data[..Math.Min(data.Length, ushort.MaxValue)];
            to.WriteByte(0x00);
            BinaryPrimitives.WriteUInt16LittleEndian(lengths, (ushort)chunk.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(lengths[2..], (ushort)~chunk.Length);
            to.Write(lengths);
            to.Write(chunk);
            data = data[chunk.Length..];
        }
        while (!data.IsEmpty);
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    // The SPDY/3 dictionary: length-prefixed header names and values, then status lines, dates and media types.
    private static byte[] BuildDictionary()
    {
        string[] words =
        [
            "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language",
            "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding",
            "content-language", "content-length", "content-location", "content-md5", "content-range", "content-type", "date", "etag",
            "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
            "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer",
            "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
            "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive", "origin",
        ];
        const string Tail =
            "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505" +
            "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized" +
            "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable" +
            "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
            "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain," +
            "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
        using var dictionary = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var word in words)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, word.Length);
            dictionary.Write(length);
            dictionary.Write(Encoding.ASCII.GetBytes(word));
        }

        dictionary.Write(Encoding.ASCII.GetBytes(Tail));
        return dictionary.ToArray();
    }

    internal static byte[] DictionaryBytes => [.. Dictionary];
}
