using System.Net;
using System.Text.Json;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client.Errors;

/// <summary>
/// An API server answer that is not a success, classified by the <c>reason</c> of its <c>Status</c> body
/// (NotFound, AlreadyExists, Conflict, Invalid, Forbidden, TooManyRequests, Expired/Gone...).
/// </summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(HttpStatusCode code, string reason, string message, Status? status = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Status = status;
    }

    public KubernetesApiException()
    {
        Reason = "Unknown";
    }

    public KubernetesApiException(string message)
        : base(message)
    {
        Reason = "Unknown";
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "Unknown";
    }

    public HttpStatusCode Code { get; }

    public string Reason { get; }

    public Status? Status { get; }

    public bool IsNotFound => Reason == "NotFound";

    public bool IsConflict => Reason == "Conflict";

    public bool IsAlreadyExists => Reason == "AlreadyExists";

    /// <summary>410: the resourceVersion asked for has been compacted away; re-list.</summary>
    public bool IsGone => Code == HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    /// <summary>Worth retrying after a pause: throttling, timeouts and server-side failures.</summary>
    public bool IsRetriable => Code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout || Reason is "ServerTimeout" or "Timeout";

    /// <summary>Builds the exception from a response body, falling back to the HTTP status when the body is not a Status.</summary>
    public static KubernetesApiException FromResponse(HttpStatusCode code, string body, string request)
    {
        Status? status = null;
        try
        {
            status = JsonSerializer.Deserialize(body, KubernetesJsonContext.Default.Status);
        }
        catch (JsonException)
        {
            // not a Status (a proxy's HTML page, say): classify by the code alone
        }

        var reason = status?.Reason is { Length: > 0 } r ? r : ReasonFor(code);
        var message = status?.Message is { Length: > 0 } m ? m : $"HTTP {(int)code} {code}";
        return new KubernetesApiException(code, reason, $"{request}: {reason}: {message}", status);
    }

    public static string ReasonFor(HttpStatusCode code) => StatusReasons.For((int)code);
}
