namespace Doris.Sql;

/// <summary>Base of everything this client throws; the message says what failed and, where it can, what to do.</summary>
public class MySqlException : Exception
{
    public MySqlException()
    {
    }

    public MySqlException(string message)
        : base(message)
    {
    }

    public MySqlException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The server answered with an ERR packet: the statement failed; the connection is still usable.</summary>
public sealed class MySqlServerException(int code, string sqlState, string serverMessage)
    : MySqlException($"server error {code} ({sqlState}): {serverMessage}")
{
    public int Code { get; } = code;

    public string SqlState { get; } = sqlState;

    public string ServerMessage { get; } = serverMessage;

    /// <summary>1045 access denied, 1044 no database access, 1227/1142 missing privilege.</summary>
    public bool IsAuthentication => Code is 1045 or 1044 or 1698;
}

/// <summary>The bytes on the wire do not follow the protocol (a truncated or malformed packet); the connection is dropped.</summary>
public sealed class MySqlProtocolException(string message) : MySqlException(message);

/// <summary>The server could not be reached, the connection broke or timed out; the connection is dropped.</summary>
public sealed class MySqlConnectionException(string message, Exception? inner = null) : MySqlException(message, inner ?? new IOException(message));
