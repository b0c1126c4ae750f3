namespace Doris.Eks;

/// <summary>Input the planner or linter cannot use (a file, a blueprint field); the message names it and the fix.</summary>
public sealed class EksInputException : Exception
{
    public EksInputException(string message)
        : base(message)
    {
    }

    public EksInputException()
    {
    }

    public EksInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
