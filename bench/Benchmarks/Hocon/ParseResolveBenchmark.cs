using System.Diagnostics;
using System.Runtime.CompilerServices;
using ActorHost.Hocon;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ActorHost.Benchmarks.Hocon;

/// <summary>
/// Parse and resolve realistic configurations of 200 lines (the size issue 7 compares with Akka.NET's
/// 371 µs; the goal is at least 3x faster, ≤ 124 µs) and about 300 lines. (The before/after figures in the
/// README were taken with a frozen copy of the pre-optimisation library run side by side, from commit d6bfb9e;
/// check that commit out to compare again.) Run with <c>dotnet run -c Release --project bench/Benchmarks -- --filter '*ParseResolve*'</c>
/// (add <c>--inProcess</c> to skip building a separate host project; the figures in the notes were taken
/// that way). Besides BenchmarkDotNet's table, each case prints "// cpu per op": process CPU time per
/// operation over the whole case, steadier than wall-clock time when other processes compete for the cores.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 30)]
public class ParseResolveBenchmark
{
    private string _text = string.Empty;
    private UnresolvedConfig _parsed = UnresolvedConfig.Empty;

    // CPU time per operation over the whole case (pilot, warm-up and measured runs): on a loaded machine the
    // wall-clock figures are inflated by other processes, the CPU time much less so. The counter costs ~1 ns.
    private long _operations;
    private TimeSpan _cpuAtStart;
    private string _method = string.Empty;

    /// <summary>Which sample: the 200-line one or the ~300-line one.</summary>
    [Params("200-lines", "337-lines")]
    public string File { get; set; } = "200-lines";

    [GlobalSetup]
    public void Setup()
    {
        _text = File == "200-lines" ? SampleConfig200.Text : SampleConfig.Text;
        _parsed = ConfigFactory.ParseString(_text);

        _operations = 0;
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
        if (_operations > 0)
        {
            Console.WriteLine($"// cpu per op ({_method}, {File}): {cpu.TotalNanoseconds / _operations / 1000:F1} us over {_operations} operations");
        }
    }

    /// <summary>Text to resolved <see cref="Config"/>: tokenize, parse, build, resolve.</summary>
    [Benchmark]
    [BenchmarkCategory("ParseAndResolve")]
    public Config ParseAndResolve() => Count(ConfigFactory.ParseString(_text).Resolve(HoconResolveOptions.NoEnvironment));


    /// <summary>Text to the unresolved tree only.</summary>
    [Benchmark]
    [BenchmarkCategory("ParseOnly")]
    public UnresolvedConfig ParseOnly() => Count(ConfigFactory.ParseString(_text));


    /// <summary>Substitution resolution of an already parsed tree.</summary>
    [Benchmark]
    [BenchmarkCategory("ResolveOnly")]
    public Config ResolveOnly() => Count(_parsed.Resolve(HoconResolveOptions.NoEnvironment));


    private T Count<T>(T result, [CallerMemberName] string method = "")
    {
        _method = method;
        _operations++;
        return result;
    }
}
