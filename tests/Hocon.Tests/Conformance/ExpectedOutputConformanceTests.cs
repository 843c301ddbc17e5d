using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Conformance;

/// <summary>
/// Every file in expected/: <c>X.expected.json</c> is what the reference implementation produced for X
/// (structural equality), <c>X.expected-error.txt</c> means X must fail to parse or resolve, with an error
/// that starts with file:line:column.
/// </summary>
public partial class ExpectedOutputConformanceTests
{
    /// <summary>
    /// Deliberate, documented differences (src/Hocon/README.md, "Differences from the reference"): we resolve
    /// <c>include file("x")</c> relative to the including file, the reference against the working directory
    /// (which did not hold these files when expected/ was generated), so our result has the keys of the files
    /// that file() names.
    /// </summary>
    private static readonly Dictionary<string, string> FileIncludeDeviations = new(StringComparer.Ordinal)
    {
        ["file-include.conf"] = """{ "bar-file": 44, "baz": 45 }""",
        ["subdir/foo.conf"] = """{ "bar-file": 44 }""",
    };

    public static TheoryData<string> Cases() => new(CaseNames());

    private static List<string> CaseNames()
    {
        var expectedRoot = Path.Combine(ConformanceCorpus.Root, "expected");
        return Directory.GetFiles(expectedRoot, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(expectedRoot, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void Every_expected_file_names_a_case()
    {
        Assert.All(CaseNames(), c => Assert.True(
            c.EndsWith(".expected.json", StringComparison.Ordinal) || c.EndsWith(".expected-error.txt", StringComparison.Ordinal), c));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_reference(string expectedFile)
    {
        var expectedPath = Path.Combine(ConformanceCorpus.Root, "expected", expectedFile);
        if (expectedFile.EndsWith(".expected-error.txt", StringComparison.Ordinal))
        {
            var subject = expectedFile[..^".expected-error.txt".Length];
            var error = Assert.ThrowsAny<HoconException>(() => Load(subject));
            Assert.Matches(OriginPrefix(), error.Message);
            return;
        }

        var name = expectedFile[..^".expected.json".Length];
        var expected = JsonNode.Parse(File.ReadAllText(expectedPath))!.AsObject();
        if (FileIncludeDeviations.TryGetValue(name, out var extra))
        {
            foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject())
            {
                expected[key] = value?.DeepClone();
            }
        }

        var config = Load(name);

        using var document = JsonDocument.Parse(expected.ToJsonString());
        Assert.Null(JsonComparison.Difference(document.RootElement, config.Root));
    }

    /// <summary>Loads a case the way expected/ was generated, honouring the variant suffixes.</summary>
    private static Config Load(string name)
    {
        var resolve = HoconResolveOptions.NoEnvironment;
        var parse = HoconParseOptions.Default;
        if (name.EndsWith(".with-env", StringComparison.Ordinal))
        {
            name = name[..^".with-env".Length];
            resolve = HoconResolveOptions.WithEnvironment(new Dictionary<string, string> { ["SECRET_A"] = "A", ["SECRET_B"] = "B", ["SECRET_C"] = "C" });
        }

        if (name.EndsWith(".with-test-lib-on-classpath", StringComparison.Ordinal))
        {
            name = name[..^".with-test-lib-on-classpath".Length];
            parse = new HoconParseOptions { IncludeSearchPaths = [ConformanceCorpus.PathOf("test-lib")] };
        }

        if (name.EndsWith(".anysyntax", StringComparison.Ordinal))
        {
            return ConfigFactory.ParseFileAnySyntax(ConformanceCorpus.PathOf(name[..^".anysyntax".Length]), parse).Resolve(resolve);
        }

        return ConfigFactory.ParseFile(ConformanceCorpus.PathOf(name), parse).Resolve(resolve);
    }

    [GeneratedRegex(@"^[^\n]+:\d+:\d+: \S")]
    private static partial Regex OriginPrefix();
}
