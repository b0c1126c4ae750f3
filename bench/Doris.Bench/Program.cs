using BenchmarkDotNet.Running;

// `operator ...`, `spot-chaos ...` and `drain-under-load ...` run the end-to-end operator scenarios (minutes long, so not a BenchmarkDotNet job);
// everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "operator")
{
    return await Doris.Bench.Operator.OperatorBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "sim-step")
{
    return await Doris.Bench.Simulation.StepBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "spot-chaos")
{
    return await Doris.Bench.Spot.SpotChaosBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "drain-under-load")
{
    return await Doris.Bench.Spot.DrainUnderLoadBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "jit-report")
{
    return Doris.Bench.Profiling.JitReport.Run(args);
}

if (args.Length > 0 && args[0] is "profile" or "profile-report")
{
    return await Doris.Bench.Profiling.CpuProfile.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Doris.Bench.RenderBenchmarks).Assembly).Run(args);
return 0;
