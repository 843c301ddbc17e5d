using BenchmarkDotNet.Running;

// One entry point for every micro-benchmark: pick with --filter, list with --list flat.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
