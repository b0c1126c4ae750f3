using System.CommandLine;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl completion bash|zsh</c>: a shell function that asks the binary itself what can come next (System.CommandLine's
/// <c>[suggest:N]</c> directive), so commands, options and their values complete without a list kept by hand.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print shell completion for dorisctl and kubectl-doris: source <(dorisctl completion bash)") { shell };
        command.SetAction(parse =>
        {
            if (parse.GetValue(shell) == "zsh")
            {
                console.Out.WriteLine("autoload -U +X bashcompinit && bashcompinit");
            }

            console.Out.Write("""
                # dorisctl completion: the binary answers what may come next ([suggest:<cursor>] directive).
                _dorisctl_complete() {
                  local IFS=$'\n'
                  local candidates
                  candidates=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
                  COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
                }
                complete -o default -F _dorisctl_complete dorisctl kubectl-doris

                """);
            return ExitCodes.Success;
        });
        return command;
    }
}
