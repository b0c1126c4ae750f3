using System.CommandLine;
using System.Text.Json;
using Doris.Eks.Blueprints;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl eks schema</c>: the blueprint's JSON schema, for editors and CI validation.</summary>
internal static class EksSchemaCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("schema", "Print the JSON schema of the EKS blueprint format.");
        command.SetAction(_ =>
        {
            var schema = BlueprintReader.Schema.DeepClone().AsObject();
            schema["$schema"] = "https://json-schema.org/draft-07/schema#";
            schema["title"] = "dorisctl EksBlueprint (dorisctl.io/v1alpha1)";
            console.Out.WriteLine(schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = KubernetesJsonContext.Default }));
            return ExitCodes.Success;
        });
        return command;
    }
}
