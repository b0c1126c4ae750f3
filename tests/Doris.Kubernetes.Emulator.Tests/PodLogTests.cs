using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary><c>kubectl logs</c> against the emulator: what a container printed, kubelet's parameters and refusals.</summary>
public sealed class PodLogTests : KubectlSession
{
    private static readonly Storage.ResourceType Pods = new(string.Empty, "v1", "Pod", "pods", "pod", true, true, ["po"]);

    private void CreatePod(string name, bool running, params string[] containers)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "i" })]) },
        };
        Server.Store.Create(Pods, "default", pod);
        if (running)
        {
            pod = Server.Store.Get(Pods, "default", name);
            pod["status"] = new JsonObject { ["phase"] = "Running", ["containerStatuses"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["state"] = new JsonObject { ["running"] = new JsonObject() } })]) };
            Server.Store.Update(Pods, "default", name, pod, statusSubresource: true);
        }
    }

    [Fact]
    public async Task KubectlLogs_RunningContainer_PrintsItsLinesWithTailAndTimestamps()
    {
        CreatePod("fe-0", running: true, "fe");
        var at = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
        Server.Store.Logs.Append("default", "fe-0", "fe", at, "first");
        Server.Store.Logs.Append("default", "fe-0", "fe", at.AddSeconds(1), "second");

        var all = await Kubectl("logs", "fe-0");
        var tail = await Kubectl("logs", "fe-0", "--tail=1", "--timestamps");

        all.Code.ShouldBe(0, all.Error);
        all.Out.ShouldBe("first\nsecond\n");
        tail.Out.ShouldBe("2026-12-01T06:00:01.0000000Z second\n");
    }

    [Fact]
    public async Task KubectlLogs_ContainerNotStarted_SaysItIsWaiting()
    {
        CreatePod("be-0", running: false, "be");

        var logs = await Kubectl("logs", "be-0");

        logs.Code.ShouldNotBe(0);
        logs.Error.ShouldContain("container \"be\" in pod \"be-0\" is waiting to start: ContainerCreating");
    }

    [Fact]
    public async Task KubectlLogs_TwoContainers_ReadsTheNamedOneAndRefusesAnUnknownOne()
    {
        CreatePod("cn-0", running: true, "cn", "sidecar");
        Server.Store.Logs.Append("default", "cn-0", "sidecar", DateTimeOffset.UtcNow, "from the sidecar");

        var named = await Kubectl("logs", "cn-0", "-c", "sidecar");
        var unknown = await Kubectl("logs", "cn-0", "-c", "nope");

        named.Out.ShouldBe("from the sidecar\n", named.Error);
        unknown.Code.ShouldNotBe(0);
        unknown.Error.ShouldContain("container nope is not valid for pod cn-0");
    }

    // Following streams new lines as they are printed and ends when the pod is gone.
    [Fact]
    public async Task LogFollow_NewLinesThenPodDeleted_StreamsThemAndEnds()
    {
        CreatePod("fe-1", running: true, "fe");
        Server.Store.Logs.Append("default", "fe-1", "fe", DateTimeOffset.UtcNow, "before");
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = Server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.BearerToken);
        using var response = await http.GetAsync("/api/v1/namespaces/default/pods/fe-1/log?follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        (await reader.ReadLineAsync()).ShouldBe("before");
        Server.Store.Logs.Append("default", "fe-1", "fe", DateTimeOffset.UtcNow, "after");
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("after");
        Server.Store.Delete(Pods, "default", "fe-1", null);
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeNull("the stream ends with the pod");
    }
}
