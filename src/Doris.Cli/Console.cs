namespace Doris.Cli;

/// <summary>The process's standard streams, passed in so tests can run the CLI in-process.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);
