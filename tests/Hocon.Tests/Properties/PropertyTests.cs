using System.Text.Json;
using System.Text.Json.Nodes;
using ActorHost.Hocon.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using FsConfig = FsCheck.Config;

namespace ActorHost.Hocon.Tests.Properties;

/// <summary>
/// Property-based tests (FsCheck, run from plain facts with a fixed seed and a bounded number of cases so
/// they are deterministic and fast).
/// </summary>
public class PropertyTests
{
    private static FsConfig Settings(int cases) =>
        FsConfig.QuickThrowOnFailure
            .WithMaxTest(cases)
            .WithEndSize(30)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20260101UL, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));

    private static readonly HoconParseOptions AsJson = new() { Syntax = HoconSyntax.Json };

    [Fact]
    public void Any_json_document_parses_to_the_same_value_as_hocon_and_as_json()
    {
        var property = Prop.ForAll(Arb.From(Generators.WellFormedObject), obj =>
        {
            // System.Text.Json is the independent oracle: it writes the document and reads the expectation.
            var node = JsonNode.Parse(obj.ToJson())!;
            var text = node.ToJsonString(new JsonSerializerOptions { WriteIndented = obj.Count % 2 == 0 });
            using var expected = JsonDocument.Parse(text);

            var asHocon = ConfigFactory.ParseString(text).Resolve(HoconResolveOptions.NoEnvironment);
            var asJson = ConfigFactory.ParseString(text, AsJson).Resolve(HoconResolveOptions.NoEnvironment);

            return JsonComparison.Difference(expected.RootElement, asHocon.Root) is null
                && JsonComparison.Difference(expected.RootElement, asJson.Root) is null;
        });

        Check.One(Settings(300), property);
    }

    [Fact]
    public void Rendering_then_parsing_gives_the_same_value()
    {
        var property = Prop.ForAll(Arb.From(Generators.AnyObject), obj =>
            ConfigFactory.ParseString(obj.ToJson()).Resolve(HoconResolveOptions.NoEnvironment).Root.Equals(obj)
            && ConfigFactory.ParseString(obj.ToJson(indented: true)).Resolve(HoconResolveOptions.NoEnvironment).Root.Equals(obj)
            && ConfigFactory.ParseString(obj.ToJson(), AsJson).Resolve(HoconResolveOptions.NoEnvironment).Root.Equals(obj));

        Check.One(Settings(300), property);
    }

    [Fact]
    public void Paths_render_so_that_they_parse_back_to_the_same_keys()
    {
        var property = Prop.ForAll(Arb.From(Generators.AnyString.ListOf().Select(keys => keys.Take(4).ToArray()).Where(keys => keys.Length > 0)), keys =>
        {
            var rendered = new KeyPath(keys).Render();
            return ActorHost.Hocon.Syntax.Parser.ParsePath(rendered).Equals(new KeyPath(keys));
        });

        Check.One(Settings(300), property);
    }

    [Fact]
    public void Garbage_never_throws_anything_but_a_hocon_exception()
    {
        var property = Prop.ForAll(Arb.From(Generators.Garbage), OnlyHoconExceptions);

        Check.One(Settings(1500), property);
    }

    [Fact]
    public void Damaged_realistic_documents_never_throw_anything_but_a_hocon_exception()
    {
        var property = Prop.ForAll(Arb.From(Generators.MutatedDocument(SampleDocument)), OnlyHoconExceptions);

        Check.One(Settings(1000), property);
    }

    private const string SampleDocument = """"
        include "nothere"
        app {
          name = "demo" // comment
          port = 8080, timeout = 30s
          path = [ /bin ]
          path = ${app.path} [ /usr/bin ]
          list += 1
          greeting = Hello ${app.name}!
          "quoted.key" = """triple "quoted" text"""
          nested { a.b.c = ${?app.port}, d = ${?NOPE} }
          merged = ${app.nested} { e = true }
        }
        """";

    private static bool OnlyHoconExceptions(string text)
    {
        foreach (var syntax in (HoconSyntax[])[HoconSyntax.Conf, HoconSyntax.Json, HoconSyntax.Properties])
        {
            try
            {
                var config = ConfigFactory.ParseString(text, new HoconParseOptions { Syntax = syntax, BaseDirectory = Path.GetTempPath() })
                    .Resolve(HoconResolveOptions.WithEnvironment(new Dictionary<string, string> { ["a"] = "env" }));
                _ = config.ToJson(indented: true);
            }
            catch (HoconException)
            {
                // the one kind of failure allowed
            }
        }

        return true;
    }
}
