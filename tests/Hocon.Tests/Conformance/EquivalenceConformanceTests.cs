using System.Text.Json;
using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Conformance;

/// <summary>
/// Upstream's EquivalentsTest: every .conf and .json directly inside an equivNN folder resolves (without
/// environment fallback) to the same value as that folder's original.json; a .json file also gives that
/// value when read as HOCON.
/// </summary>
public class EquivalenceConformanceTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(ConformanceCorpus.Root, "equiv*").Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (name != "original.json" && (name.EndsWith(".conf", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)))
                {
                    data.Add(Path.GetRelativePath(ConformanceCorpus.Root, file).Replace('\\', '/'));
                }
            }
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_fifteen_equivalence_files()
    {
        Assert.Equal(15, Files().Count);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_resolves_to_the_value_of_original_json(string file)
    {
        var path = ConformanceCorpus.PathOf(file);
        var original = LoadOriginal(path);

        var config = ConfigFactory.ParseFile(path).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Null(JsonComparison.Difference(original.RootElement, config.Root));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Json_file_gives_the_same_value_when_read_as_hocon(string file)
    {
        if (!file.EndsWith(".json", StringComparison.Ordinal))
        {
            return;
        }

        var path = ConformanceCorpus.PathOf(file);
        var original = LoadOriginal(path);

        var config = ConfigFactory.ParseFile(path, new HoconParseOptions { Syntax = HoconSyntax.Conf }).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Null(JsonComparison.Difference(original.RootElement, config.Root));
    }

    [Theory]
    [InlineData("equiv01/original.json")]
    [InlineData("equiv02/original.json")]
    [InlineData("equiv03/original.json")]
    [InlineData("equiv04/original.json")]
    [InlineData("equiv05/original.json")]
    public void Original_json_reads_the_same_as_json_and_as_hocon(string file)
    {
        var path = ConformanceCorpus.PathOf(file);
        var expected = JsonDocument.Parse(File.ReadAllText(path));

        var asJson = ConfigFactory.ParseFile(path).Resolve(HoconResolveOptions.NoEnvironment);
        var asHocon = ConfigFactory.ParseFile(path, new HoconParseOptions { Syntax = HoconSyntax.Conf }).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Null(JsonComparison.Difference(expected.RootElement, asJson.Root));
        Assert.Null(JsonComparison.Difference(expected.RootElement, asHocon.Root));
    }

    private static JsonDocument LoadOriginal(string path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(path)!, "original.json")));
}
