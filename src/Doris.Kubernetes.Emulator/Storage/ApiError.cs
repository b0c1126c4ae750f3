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

    /// <summary>One field's problem, as <c>details.causes</c> carries it (kubectl prints one line per cause).</summary>
    public sealed record Cause(string Field, string Message, string Reason = "FieldValueInvalid");

    public IReadOnlyList<Cause> Causes { get; init; } = [];

    public static ApiError Invalid(ResourceType type, string name, string detail) =>
        Invalid(type, name, [.. detail.Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(ToCause)]);

    /// <summary>422 as kube-apiserver writes it: the qualified kind in the message and details, a cause per field.</summary>
    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<Cause> causes)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(causes);
        var qualified = type.Group.Length > 0 ? $"{type.Kind}.{type.Group}" : type.Kind;
        var lines = causes.Select(c => c.Field.Length > 0 ? $"{c.Field}: {c.Message}" : c.Message).ToList();
        var detail = lines.Count == 1 ? lines[0] : $"[{string.Join(", ", lines)}]";
        return new ApiError(422, "Invalid", $"{qualified} \"{name}\" is invalid: {detail}", type, name) { Causes = causes };
    }

    // "spec.x: Invalid value: ..." → field spec.x; the reason from the wording the real validators use.
    private static Cause ToCause(string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var (field, message) = colon > 0 && !text[..colon].Contains(' ', StringComparison.Ordinal) ? (text[..colon], text[(colon + 2)..]) : (string.Empty, text);
        var reason = message.StartsWith("Required value", StringComparison.Ordinal) ? "FieldValueRequired"
            : message.StartsWith("Forbidden", StringComparison.Ordinal) ? "FieldValueForbidden"
            : message.StartsWith("Unsupported value", StringComparison.Ordinal) ? "FieldValueNotSupported"
            : "FieldValueInvalid";
        return new Cause(field, message, reason);
    }

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

                // An invalid object is named by its kind; the other errors by the resource (as the real server does).
                details["kind"] = Code == 422 ? Resource.Kind : Resource.Plural;
            }

            if (Causes.Count > 0)
            {
                details["causes"] = new JsonArray([.. Causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field })]);
            }

            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }
}
