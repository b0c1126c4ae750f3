namespace Doris.Cli;

/// <summary>Process exit codes; scripts may rely on them, so they never change meaning.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was read but is invalid (validation errors); nothing was rendered.</summary>
    public const int Invalid = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>An input file could not be read or is not YAML.</summary>
    public const int Unreadable = 3;

    /// <summary>The sandbox cluster did not become Ready in time, or a scenario broke an invariant; the reason is printed.</summary>
    public const int NotReady = 4;

    /// <summary><c>dorisctl adopt</c>: taking over would roll pods (the differences are printed).</summary>
    public const int WouldRoll = 5;

    /// <summary>A bug in dorisctl: the message asks the user to report it.</summary>
    public const int Internal = 70;

    /// <summary>The output could not be written (stdout closed, a full disk, a read-only directory); nothing is half-written on purpose, the reason is printed.</summary>
    public const int OutputFailed = 74;
}
