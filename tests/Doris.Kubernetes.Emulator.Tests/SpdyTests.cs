using Doris.Kubernetes.Emulator.Http.Spdy;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// The SPDY pieces port forwarding rests on, where a careless peer can reach them: kubectl itself is the peer in
/// the sandbox's port-forward test; here, what it would never send.
/// </summary>
public sealed class SpdyTests
{
    [Fact]
    public void HeaderBlock_NotAZlibStreamWithTheDictionary_IsRefused()
    {
        var headers = new HeaderCompression();

        Should.Throw<InvalidDataException>(() => headers.Read([0x78, 0x9C, 0x01, 0x02, 0x03, 0x04, 0x05]));
    }

    [Fact]
    public async Task Frame_LongerThanTheLimit_IsRefusedBeforeItsPayloadIsRead()
    {
        using var stream = new MemoryStream([0x80, 0x03, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0xFF]);

        await Should.ThrowAsync<InvalidDataException>(() => SpdyFrame.ReadAsync(stream, default));
    }

    [Fact]
    public async Task Frame_CutShort_IsAnEndOfStream()
    {
        using var stream = new MemoryStream([0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10, 0x01]);

        await Should.ThrowAsync<EndOfStreamException>(() => SpdyFrame.ReadAsync(stream, default));
    }

    // What we write, zlib inflates with the SPDY/3 dictionary (CPython's zlib, a second implementation).
    [Fact]
    public async Task HeaderBlocks_WeWrite_InflateWithRealZlib()
    {
        var headers = new HeaderCompression();
        var first = headers.Write(new Dictionary<string, string> { ["status"] = "200" });
        var second = headers.Write(new Dictionary<string, string> { ["port"] = "9030" });
        var dir = Directory.CreateTempSubdirectory("spdy-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "a"), first);
        await File.WriteAllBytesAsync(Path.Combine(dir, "b"), second);
        await File.WriteAllBytesAsync(Path.Combine(dir, "dict"), HeaderCompression.DictionaryBytes);
        var script = $$"""
            import zlib
            d = open(r'{{dir}}/dict', 'rb').read()
            z = zlib.decompressobj(zdict=d)
            print(z.decompress(open(r'{{dir}}/a', 'rb').read()).hex())
            print(z.decompress(open(r'{{dir}}/b', 'rb').read()).hex())
            print(hex(zlib.adler32(d)), len(d))
            """;

        var run = await Testing.Tool.RunAsync(Testing.Python.Executable, ["-c", script]);

        run.Code.ShouldBe(0, run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("00000001" + "00000006" + Convert.ToHexStringLower("status"u8) + "00000003" + Convert.ToHexStringLower("200"u8));
        lines[1].ShouldBe("00000001" + "00000004" + Convert.ToHexStringLower("port"u8) + "00000004" + Convert.ToHexStringLower("9030"u8));
        lines[2].ShouldBe("0xe3c6a7c2 1423", "the SPDY/3 dictionary's size and zlib id");
    }
}
