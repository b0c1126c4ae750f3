namespace Doris.Cli.Input;

/// <summary>
/// Standard input that must start within a bound. When a shell starts dorisctl with stdin closed (<c>&lt;&amp;-</c>),
/// descriptor 0 is taken by the first file the runtime opens, and reading "stdin" blocks for ever; a pipe that
/// brings nothing at all for this long is taken to be that, and refused with the fix, instead of hanging. Once the
/// first characters arrive, reading waits as long as the producer needs. A terminal is not wrapped (a person types).
/// </summary>
internal sealed class PatientStdin(TextReader inner, TimeSpan wait) : TextReader
{
    private bool _started;

    public override int Read(char[] buffer, int index, int count)
    {
        if (_started)
        {
            return inner.Read(buffer, index, count);
        }

        var first = Task.Run(() => inner.Read(buffer, index, count));
        if (!first.Wait(wait))
        {
            throw new CliException(ExitCodes.Unreadable, $"nothing arrived on stdin within {wait.TotalSeconds:0} s (is stdin closed?); pipe a manifest into '-f -' or pass '-f FILE'");
        }

        _started = true;
        return first.Result;
    }

    public override int Read()
    {
        var one = new char[1];
        return Read(one, 0, 1) == 0 ? -1 : one[0];
    }

    public override int Peek() => -1;
}
