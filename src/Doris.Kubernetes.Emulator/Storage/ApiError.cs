using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>A request the API server refuses; rendered as the same <c>Status</c> body the real server writes.</summary>
public sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, ResourceType? resource = null, string? name = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Resource = resource;
        Name = name;
    }

    public ApiError()
    {
        Reason = "InternalError";
    }

    public ApiError(string message)
        : base(message)
    {
        Reason = "InternalError";
    }

    public ApiError(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "InternalError";
    }

    public int Code { get; } = 500;

    public string Reason { get; }

    public ResourceType? Resource { get; }

    public string? Name { get; }

    public static ApiError NotFound(ResourceType type, string name) => new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", type, name);

    public static ApiError AlreadyExists(ResourceType type, string name) => new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", type, name);

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", type, name);

    public static ApiError Invalid(ResourceType type, string name, string detail) =>
        new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {detail}", type, name);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Gone(string message) => new(410, "Expired", message);

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Resource is not null || Name is not null)
        {
            var details = new JsonObject();
            if (Name is not null)
            {
                details["name"] = Name;
            }

            if (Resource is not null)
            {
                if (Resource.Group.Length > 0)
                {
                    details["group"] = Resource.Group;
                }

                details["kind"] = Resource.Plural;
            }

            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }
}
