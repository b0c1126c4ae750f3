using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// The container image built here without a registry or Docker (image/build.sh: umoci, skopeo), read back by
/// skopeo, unpacked by umoci and run: its entrypoint on a read-only root file system as the non-root user.
/// </summary>
public sealed partial class ImageBuildTests
{
    private static readonly string Root = SharedFiles.RepositoryRoot;

    [Fact]
    public async Task BuildScript_OciArchive_RunsReadOnlyAsNonRootAndMatchesTheDockerfile()
    {
        var work = Directory.CreateTempSubdirectory("image-").FullName;
        var build = await Tool.RunAsync("bash", [Path.Combine(Root, "image", "build.sh"), work, "0.1.0"], TimeSpan.FromMinutes(10));
        build.Code.ShouldBe(0, build.Error);
        var archive = Path.Combine(work, "dorisctl-0.1.0.oci.tar");
        File.Exists(archive).ShouldBeTrue();

        // The image's configuration as skopeo reads it from the archive.
        var inspect = await Tool.RunAsync("skopeo", ["inspect", "--config", $"oci-archive:{archive}"]);
        inspect.Code.ShouldBe(0, inspect.Error);
        var config = JsonNode.Parse(inspect.Out)!;
        ((string?)config["architecture"]).ShouldBe("amd64");
        var c = config["config"]!;
        ((string?)c["User"]).ShouldBe("65532:65532");
        c["Entrypoint"]!.AsArray().Select(x => (string?)x).ShouldBe(["/app/dorisctl"]);
        c["Cmd"]!.AsArray().Select(x => (string?)x).ShouldBe(["operator"]);
        ((string?)c["WorkingDir"]).ShouldBe("/app");
        var env = c["Env"]!.AsArray().Select(x => (string)x!).ToList();
        env.ShouldContain("DOTNET_EnableDiagnostics=0");

        // The Dockerfile builds the same image: same user, entrypoint, command, directory and environment.
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Root, "Dockerfile"));
        Instruction(dockerfile, "USER").ShouldBe((string?)c["User"]);
        Instruction(dockerfile, "WORKDIR", last: true).ShouldBe((string?)c["WorkingDir"]);
        Instruction(dockerfile, "ENTRYPOINT").ShouldBe("[\"/app/dorisctl\"]");
        Instruction(dockerfile, "CMD").ShouldBe("[\"operator\"]");
        var dockerEnv = EnvInstruction().Matches(dockerfile).Select(m => m.Groups[1].Value.Trim()).ToList();
        dockerEnv.ShouldBe(env.Where(e => !e.StartsWith("PATH=", StringComparison.Ordinal)), ignoreOrder: true);
        dockerfile.ShouldContain("bash image/rootfs.sh /rootfs");

        // Unpacked by umoci and run: --help and a real command, as user 65532, on a read-only root.
        (await Tool.RunAsync("skopeo", ["copy", "--quiet", $"oci-archive:{archive}", $"oci:{work}/oci:0.1.0"])).Code.ShouldBe(0);
        var unpack = await Tool.RunAsync("umoci", ["unpack", "--image", $"{work}/oci:0.1.0", $"{work}/bundle"]);
        unpack.Code.ShouldBe(0, unpack.Error);
        var rootfs = Path.Combine(work, "bundle", "rootfs");
        File.Exists(Path.Combine(rootfs, "bin", "sh")).ShouldBeFalse("no shell in the image");
        // As a container runtime sets it up: a read-only root, /proc and /dev mounted, a non-root user.
        var script = $"mount --bind {rootfs} {rootfs} && mount -o remount,bind,ro {rootfs} && " +
                     $"mount -t proc proc {rootfs}/proc && mount --bind /dev {rootfs}/dev && " +
                     $"chroot --userspec=65532:65532 {rootfs} /app/dorisctl --help && " +
                     $"chroot --userspec=65532:65532 {rootfs} /app/dorisctl render --example minimal -o json && " +
                     // The whole product in the image: emulator, operator and simulated cluster to Ready, writing
                     // only to /tmp (an emptyDir in the Deployment).
                     $"mount -t tmpfs tmpfs {rootfs}/tmp && " +
                     $"chroot --userspec=65532:65532 {rootfs} /app/dorisctl sandbox --example minimal --until-ready --timeout 90s --kubeconfig-out /tmp/kc";
        var run = await Tool.RunAsync("unshare", ["--mount", "bash", "-c", script], TimeSpan.FromMinutes(2));
        run.Code.ShouldBe(0, run.Error);
        run.Out.ShouldContain("dorisctl: run Apache Doris on Kubernetes");
        run.Out.ShouldContain("\"kind\": \"StatefulSet\"");
        run.Out.ShouldContain("doris-be      available   1/1");
        run.Error.ShouldBeEmpty("nothing complains about the read-only root");
    }

    private static string? Instruction(string dockerfile, string name, bool last = false)
    {
        var lines = dockerfile.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => l[(name.Length + 1)..].Trim()).ToList();
        return last ? lines.LastOrDefault() : lines.SingleOrDefault();
    }

    [GeneratedRegex(@"^ENV (.+)$", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();
}
