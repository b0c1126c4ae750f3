using System.CommandLine;
using Doris.Kubernetes.Emulator;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl emulator</c>: a Kubernetes-compatible API server on loopback that kubectl can use.</summary>
internal static class EmulatorCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on (0 picks a free one).", DefaultValueFactory = _ => 6443 };
        var kubeconfig = new Option<string?>("--kubeconfig-out") { Description = "Write a kubeconfig for this server (with its CA) to this file." };
        var plain = new Option<bool>("--insecure-http") { Description = "Serve plain HTTP instead of HTTPS with a generated certificate." };
        var command = new Command("emulator", "Run an in-process Kubernetes API server (CRDs, watch, kubectl) until interrupted.") { port, kubeconfig, plain };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EmulatorServer server;
            try
            {
                server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = parse.GetValue(port), Tls = !parse.GetValue(plain) }, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new CliException(ExitCodes.Unreadable, $"cannot listen on port {parse.GetValue(port)}: {e.Message}; choose another with --port");
            }

            await using (server.ConfigureAwait(false))
            {
                if (parse.GetValue(kubeconfig) is { } path)
                {
                    await Output.PrivateFile.WriteAsync(path, server.Kubeconfig(), cancellationToken).ConfigureAwait(false);
                    console.Out.WriteLine($"kubeconfig written to {path}; try: kubectl --kubeconfig {path} get namespaces");
                }

                console.Out.WriteLine($"emulator listening at {server.Address} (Ctrl+C to stop)");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    console.Out.WriteLine("emulator stopped");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
