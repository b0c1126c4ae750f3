namespace Doris.Testing;

/// <summary>
/// The Python the tests drive: Debian's interpreter, where apt puts python3-yaml and python3-kubernetes (CI
/// prerequisites), rather than whichever python3 a developer's PATH finds first.
/// </summary>
internal static class Python
{
    public static string Executable => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
