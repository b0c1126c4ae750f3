using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Eks.Tests;

/// <summary>
/// Terraform 1.11 (on the machine image at /usr/local/bin/terraform) evaluating expressions over a plan's
/// terraform.tfvars.json, with terraform-aws-eks v21.19.0's own root <c>variables.tf</c> declaring the inputs, so
/// input names and types are checked by Terraform itself and the module's templates render what a node gets.
/// </summary>
internal sealed class Terraform : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tf-").FullName;

    public Terraform(string tfvarsJson)
    {
        File.Copy(Module("variables.tf"), Path.Combine(_dir, "variables.tf"));
        File.WriteAllText(Path.Combine(_dir, "terraform.tfvars.json"), tfvarsJson);
        File.WriteAllText(Path.Combine(_dir, "cli.tfrc"), string.Empty);
    }

    public static string Executable => File.Exists("/usr/local/bin/terraform") ? "/usr/local/bin/terraform" : "terraform";

    /// <summary>A file of the module, as shipped in ../shared/reference/eks/terraform-aws-eks.</summary>
    public static string Module(params string[] path) => SharedFiles.Reference(["eks", "terraform-aws-eks", .. path]);

    /// <summary>Warnings and errors Terraform printed while loading the inputs (undeclared variables, type errors).</summary>
    public string Diagnostics { get; private set; } = string.Empty;

    /// <summary>The value of an HCL expression, as JSON (passed through base64 so HCL's string escaping cannot alter it).</summary>
    public JsonNode Evaluate(string expression)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in new[] { "console", "-no-color", "-var-file=terraform.tfvars.json" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TF_CLI_CONFIG_FILE"] = Path.Combine(_dir, "cli.tfrc");
        start.Environment["TF_IN_AUTOMATION"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Executable}: Terraform 1.11 is expected on the machine image");
        process.StandardInput.WriteLine($"base64encode(jsonencode({expression}))");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("terraform console did not answer within 60 s");
        }

        var text = output.Result;
        Diagnostics = text + error.Result;
        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('"'));
        if (process.ExitCode != 0 || last is null)
        {
            throw new InvalidOperationException($"terraform console failed ({process.ExitCode}): {Diagnostics}");
        }

        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(last.Trim('"'))))!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
