using System.Text.Json;

namespace ActorHost.Hocon.Tests.Support;

/// <summary>Short ways to parse and resolve HOCON text in tests (no environment fallback unless given).</summary>
public static class HoconText
{
    public static Config Resolve(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigFactory.ParseString(text).Resolve(environment is null ? HoconResolveOptions.NoEnvironment : HoconResolveOptions.WithEnvironment(environment));

    /// <summary>Asserts that <paramref name="hocon"/> resolves to the JSON <paramref name="expectedJson"/> (key order ignored).</summary>
    public static void AssertResolvesTo(string expectedJson, string hocon, IReadOnlyDictionary<string, string>? environment = null)
    {
        var config = Resolve(hocon, environment);
        using var expected = JsonDocument.Parse(expectedJson);
        var difference = JsonComparison.Difference(expected.RootElement, config.Root);
        Assert.True(difference is null, $"{difference}\nactual: {config.ToJson()}");
    }

    /// <summary>Asserts that parsing or resolving fails with a message that starts with <c>string:line:column: </c>.</summary>
    public static HoconException AssertFailsAt(int line, int column, string hocon)
    {
        var error = Assert.ThrowsAny<HoconException>(() => Resolve(hocon));
        Assert.StartsWith($"string:{line}:{column}: ", error.Message, StringComparison.Ordinal);
        return error;
    }
}
