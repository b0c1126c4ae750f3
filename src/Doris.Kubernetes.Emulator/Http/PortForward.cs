using System.Net;
using Doris.Kubernetes.Emulator.Http.Spdy;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// <c>pods/{name}/portforward</c>: what <c>kubectl port-forward</c> connects to. kubectl first tries a WebSocket
/// tunnel and, refused, upgrades the connection to SPDY/3.1 (the protocol kube-apiserver and kubelet speak);
/// the emulator answers the SPDY upgrade. Where a pod's port leads is the simulation's to say.
/// </summary>
internal static class PortForward
{
    public const string Protocol = "portforward.k8s.io";

    public static async Task ServeAsync(HttpContext http, ObjectStore store, ResourceType type, string ns, string name, Func<string, string, int, IPEndPoint?>? targets)
    {
        var pod = store.Get(type, ns, name);
        var upgrade = http.Features.Get<IHttpUpgradeFeature>();
        var wantsSpdy = http.Request.Headers.Upgrade.ToString().Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase);
        if (http.Request.Method != "POST" || upgrade is not { IsUpgradableRequest: true } || !wantsSpdy)
        {
            // A WebSocket attempt lands here too: a plain refusal makes kubectl fall back to SPDY.
            throw ApiError.BadRequest("Upgrade request required: port forwarding is served over SPDY/3.1 (kubectl falls back to it by itself)");
        }

        if (ObjectStore.Str(pod["status"]?["phase"]) != "Running")
        {
            throw ApiError.BadRequest($"unable to forward port because pod is not running. Current status={ObjectStore.Str(pod["status"]?["phase"]) ?? "Pending"}");
        }

        http.Response.Headers.Upgrade = "SPDY/3.1";
        http.Response.Headers["X-Stream-Protocol-Version"] = Protocol;
        var connection = await upgrade.UpgradeAsync().ConfigureAwait(false);

        // Not RequestAborted: Kestrel signals it once the upgrade takes the connection over. The session ends when
        // the client closes the connection or the server stops.
        var stopping = http.RequestServices.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime)) is Microsoft.Extensions.Hosting.IHostApplicationLifetime life ? life.ApplicationStopping : CancellationToken.None;
        await new PortForwardSession(connection, port => targets?.Invoke(ns, name, port), name).RunAsync(stopping).ConfigureAwait(false);
    }
}
