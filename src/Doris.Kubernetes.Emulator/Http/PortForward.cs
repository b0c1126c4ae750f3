using System.Net;
using Doris.Kubernetes.Emulator.Http.Spdy;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// <c>pods/{name}/portforward</c>: what <c>kubectl port-forward</c> connects to. kubectl first tries a WebSocket
/// tunnel and, refused, upgrades the connection to SPDY/3.1 (the protocol kube-apiserver and kubelet speak);
/// the emulator answers the SPDY upgrade, and kubelet's own WebSocket channel protocol for other clients. Where a pod's port leads is the simulation's to say.
/// </summary>
internal static class PortForward
{
    public const string Protocol = "portforward.k8s.io";

    public static async Task ServeAsync(HttpContext http, ObjectStore store, ResourceType type, string ns, string name, Func<string, string, int, IPEndPoint?>? targets)
    {
        var pod = store.Get(type, ns, name);
        var stopping = http.RequestServices.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime)) is Microsoft.Extensions.Hosting.IHostApplicationLifetime life ? life.ApplicationStopping : CancellationToken.None;
        if (WebSocketPortForward.IsRequested(http))
        {
            var ports = WebSocketPortForward.Ports(http.Request.Query);
            RequireRunning(pod);
            await WebSocketPortForward.ServeAsync(http, ports, name, port => targets?.Invoke(ns, name, port), stopping).ConfigureAwait(false);
            return;
        }

        var upgrade = http.Features.Get<IHttpUpgradeFeature>();
        var wantsSpdy = http.Request.Headers.Upgrade.ToString().Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase);
        if (http.Request.Method != "POST" || upgrade is not { IsUpgradableRequest: true } || !wantsSpdy)
        {
            // kubectl's WebSocket attempt (SPDY tunnelled in a WebSocket) lands here: a plain refusal makes it fall
            // back to SPDY.
            throw ApiError.BadRequest($"Upgrade request required: port forwarding is served over SPDY/3.1 (kubectl falls back to it by itself) or a WebSocket with the {WebSocketPortForward.BinaryProtocol} subprotocol");
        }

        RequireRunning(pod);

        http.Response.Headers.Upgrade = "SPDY/3.1";
        http.Response.Headers["X-Stream-Protocol-Version"] = Protocol;
        var connection = await upgrade.UpgradeAsync().ConfigureAwait(false);

        // Not RequestAborted: Kestrel signals it once the upgrade takes the connection over. The session ends when
        // the client closes the connection or the server stops.
        await new PortForwardSession(connection, port => targets?.Invoke(ns, name, port), name).RunAsync(stopping).ConfigureAwait(false);
    }

    private static void RequireRunning(System.Text.Json.Nodes.JsonObject pod)
    {
        if (ObjectStore.Str(pod["status"]?["phase"]) != "Running")
        {
            throw ApiError.BadRequest($"unable to forward port because pod is not running. Current status={ObjectStore.Str(pod["status"]?["phase"]) ?? "Pending"}");
        }
    }
}
