using ActorHost.Hocon;
using BenchmarkDotNet.Attributes;

namespace ActorHost.Benchmarks.Hocon;

/// <summary>
/// Parse and resolve a realistic ~300-line application configuration (issue 7's HOCON goal: at least 3x
/// faster than Akka.NET's 371 µs for 200 lines). Run with
/// <c>dotnet run -c Release --project bench/Benchmarks -- --filter '*Hocon*'</c>.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ParseResolveBenchmark
{
    private UnresolvedConfig _parsed = UnresolvedConfig.Empty;

    [GlobalSetup]
    public void Setup() => _parsed = ConfigFactory.ParseString(SampleConfig.Text);

    /// <summary>Text to resolved <see cref="Config"/>: tokenize, parse, build, resolve.</summary>
    [Benchmark(Baseline = true)]
    public Config ParseAndResolve() => ConfigFactory.ParseString(SampleConfig.Text).Resolve(HoconResolveOptions.NoEnvironment);

    /// <summary>Text to the unresolved tree only.</summary>
    [Benchmark]
    public UnresolvedConfig ParseOnly() => ConfigFactory.ParseString(SampleConfig.Text);

    /// <summary>Substitution resolution of an already parsed tree.</summary>
    [Benchmark]
    public Config ResolveOnly() => _parsed.Resolve(HoconResolveOptions.NoEnvironment);
}
