using System.CommandLine;
using Doris.Eks;
using Doris.Eks.Instances;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl eks</c>: plan EKS infrastructure for Doris from a blueprint, and lint existing configuration.</summary>
internal static class EksCommand
{
    public static Command Create(CliConsole console) => new("eks", "Plan EKS node pools, autoscaling and storage for Doris; lint existing eksctl configuration.")
    {
        EksPlanCommand.Create(console),
        EksLintCommand.Create(console),
        EksSchemaCommand.Create(console),
    };

    public static Option<string?> InstanceData() => new("--instance-data")
    {
        Description = "A complete instance table (CSV with instance_type, vcpu, memory_mib, max_enis_default_card, ipv4_per_eni[, hypervisor, bare_metal]) instead of the built-in one.",
    };

    public static InstanceCatalog Catalog(string? path)
    {
        if (path is null)
        {
            return InstanceCatalog.Default;
        }

        try
        {
            return InstanceCatalog.FromCsv(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Unreadable, $"cannot read '{path}': {e.Message}; check the path");
        }
        catch (EksInputException e)
        {
            throw new CliException(ExitCodes.Unreadable, e.Message);
        }
    }
}
