using Doris.Cli;

// A terminal is left alone (a person may type a manifest); anything else must start delivering within 30 s.
var stdin = Console.IsInputRedirected ? new Doris.Cli.Input.PatientStdin(Console.In, TimeSpan.FromSeconds(30)) : Console.In;
return DorisCtl.Run(args, new CliConsole(Console.Out, Console.Error, stdin));
