using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Doris.Bench.RenderBenchmarks).Assembly).Run(args);
