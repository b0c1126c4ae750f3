using Doris.Cli;

return DorisCtl.Run(args, new CliConsole(Console.Out, Console.Error, Console.In));
