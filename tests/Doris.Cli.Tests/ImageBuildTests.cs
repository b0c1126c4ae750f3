using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// The container image built here without a registry or Docker (image/build.sh: umoci, skopeo), read back by
/// skopeo, unpacked by umoci and run: its entrypoint on a read-only root file system as the non-root user.
/// </summary>
[Collection(ReleasePublishCollection.Name)]
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

        await InstalledCommand_RunsFromTheImage_ReconcilesWithinTheIdleMemoryGoalAsync(rootfs, env);
    }

    // What `dorisctl install` deploys runs from the image: the Deployment's command exists there and, run as the
    // kubelet would (read-only root, user 65532), becomes ready against an API server, reconciles a cluster, and
    // idles within the operator's memory goal (bench/RESULTS.md: about 35 MiB measured over TLS; the goal is 40 MiB).
    private static async Task InstalledCommand_RunsFromTheImage_ReconcilesWithinTheIdleMemoryGoalAsync(string rootfs, IReadOnlyList<string> imageEnvironment)
    {
        var deployment = JsonNode.Parse(CliRun.Of("install", "-o", "json").Out)!["items"]!.AsArray().Single(o => (string?)o!["kind"] == "Deployment")!;
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var command = container["command"]!.AsArray().Select(x => (string)x!).ToList();
        var args = container["args"]!.AsArray().Select(x => (string)x!).ToList();
        command.ShouldBe(["/app/dorisctl-operator"]);
        args[0].ShouldBe("operator");
        File.Exists(Path.Combine(rootfs, command[0].TrimStart('/'))).ShouldBeTrue($"{command[0]} is in the image");

        await using var api = await OperatorProbe.StartApiWithCrdAsync("image-operator-");
        var (dir, kubeconfig, cache) = (api.Dir, api.Kubeconfig, api.Cache);

        var port = OperatorProbe.FreePort();
        var script = $"mount --bind {rootfs} {rootfs} && mount -o remount,bind,ro {rootfs} && " +
                     $"mount -t proc proc {rootfs}/proc && mount --bind /dev {rootfs}/dev && mount -t tmpfs tmpfs {rootfs}/tmp && " +
                     $"cp {kubeconfig} {rootfs}/tmp/kubeconfig && " +
                     // Only the image's environment, as a container runtime gives it (env and chroot exec, no fork).
                     $"exec env -i {string.Join(' ', imageEnvironment.Select(e => $"'{e}'"))} \"$(command -v chroot)\" --userspec=65532:65532 {rootfs} {command[0]} operator --kubeconfig /tmp/kubeconfig " +
                     $"--probe-port {port} --lease-namespace default --log-level Warning";
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--mount", "bash", "-c", script })
        {
            start.ArgumentList.Add(a);
        }

        // unshare and bash exec into chroot, which execs the operator: the process started is the operator.
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await PollAsync(http, port, m => OperatorProbe.Value(m, "dorisctl_leader") == 1, process, stderr);
            // The first idle check after start-up gives start-up's garbage back (MemoryTrimPolicy.FirstMinimumGap).
            await PollAsync(http, port, m => OperatorProbe.Value(m, "dorisctl_memory_trims_total") >= 1, process, stderr, TimeSpan.FromSeconds(20));
            await Task.Delay(1000);
            (await File.ReadAllTextAsync($"/proc/{process.Id}/cmdline")).ShouldStartWith(command[0], Case.Sensitive, "the memory read is the operator's, not a wrapper's");
            var idle = OperatorProbe.ResidentMiB(process.Id);
            idle.ShouldBeLessThan(40, $"idle RSS of the image's operator {idle:F1} MiB");

            // The rest of the cluster does not count. Pods are watched by label, so 1,000 unrelated ones reach the
            // operator not at all; every ConfigMap is watched (they are the user's, unlabelled) and only those a
            // cluster names are kept, so 1,000 of 8 KiB cost only their decoding's garbage, which the young
            // generation's budget in the image's environment lets the GC collect early (without it: +50 MiB).
            var withPods = await ResidentAfterAsync(kubeconfig, cache, Path.Combine(dir, "pods.yaml"), OperatorProbe.UnrelatedPods(1000), process.Id);
            withPods.ShouldBeLessThan(40, $"RSS of the image's operator {idle:F1} -> {withPods:F1} MiB after 1,000 unrelated pods");
            var withConfigMaps = await ResidentAfterAsync(kubeconfig, cache, Path.Combine(dir, "configmaps.yaml"), OperatorProbe.UnrelatedConfigMaps(1000), process.Id);
            (withConfigMaps - withPods).ShouldBeLessThan(12, $"RSS of the image's operator {withPods:F1} -> {withConfigMaps:F1} MiB after 1,000 unrelated ConfigMaps of 8 KiB");

            var apply = await Kubectl.RunAsync(kubeconfig, cache, "apply", "-f", Path.Combine(Root, "examples", "minimal.yaml"));
            apply.Code.ShouldBe(0, apply.Error);
            await PollAsync(http, port, m => OperatorProbe.Value(m, "dorisctl_api_writes_total") >= 1, process, stderr);
            var sets = await Kubectl.RunAsync(kubeconfig, cache, "get", "statefulsets", "-A", "-o", "name");
            sets.Out.ShouldContain("statefulset.apps/");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<double> ResidentAfterAsync(string kubeconfig, string cache, string file, string yaml, int pid)
    {
        await File.WriteAllTextAsync(file, yaml);
        var create = await Kubectl.RunAsync(kubeconfig, cache, "create", "-f", file);
        create.Code.ShouldBe(0, create.Error);
        await Task.Delay(3000); // the watch events arrive within milliseconds; this is settling, not a timing bound
        return OperatorProbe.ResidentMiB(pid);
    }

    private static async Task<string> PollAsync(HttpClient http, int port, Func<string, bool> until, Process process, Task<string> stderr, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            process.HasExited.ShouldBeFalse($"the operator exited: {(process.HasExited ? await stderr : "")}");
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the operator in the image answers in time");
            try
            {
                var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                if (until(metrics))
                {
                    return metrics;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }
    }

    private static string? Instruction(string dockerfile, string name, bool last = false)
    {
        var lines = dockerfile.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => l[(name.Length + 1)..].Trim()).ToList();
        return last ? lines.LastOrDefault() : lines.SingleOrDefault();
    }

    [GeneratedRegex(@"^ENV (.+)$", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();
}
