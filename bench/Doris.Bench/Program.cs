using BenchmarkDotNet.Running;

// `operator ...` runs the end-to-end operator scenarios (minutes long, so not a BenchmarkDotNet job);
// everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "operator")
{
    return await Doris.Bench.Operator.OperatorBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Doris.Bench.RenderBenchmarks).Assembly).Run(args);
return 0;
