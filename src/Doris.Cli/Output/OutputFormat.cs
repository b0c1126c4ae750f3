namespace Doris.Cli.Output;

internal enum OutputFormat
{
    Text,
    Yaml,
    Json,
}
