namespace Doris.Kubernetes.Models;

/// <summary>The <c>Status.reason</c> the API server uses for an HTTP code, shared by the client (to classify) and the emulator (to answer).</summary>
public static class StatusReasons
{
    public static string For(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => code >= 500 ? "InternalError" : "Unknown",
    };
}
