namespace ActorHost.Benchmarks.Hocon.Baseline.Loading;

/// <summary>A file an include statement may refer to, with the syntax its extension implies.</summary>
internal readonly record struct IncludeCandidate(string Path, HoconSyntax Syntax)
{
    /// <summary>
    /// The files a name stands for: itself when it ends in .conf, .json or .properties; otherwise the
    /// name with each of those extensions, lowest priority first (.properties, then .json, then .conf).
    /// </summary>
    public static IncludeCandidate[] For(string path)
    {
        if (SyntaxOf(path) is { } syntax)
        {
            return [new IncludeCandidate(path, syntax)];
        }

        return
        [
            new IncludeCandidate(path + ".properties", HoconSyntax.Properties),
            new IncludeCandidate(path + ".json", HoconSyntax.Json),
            new IncludeCandidate(path + ".conf", HoconSyntax.Conf),
        ];
    }

    /// <summary>The syntax a file extension names, or null when it names none.</summary>
    public static HoconSyntax? SyntaxOf(string path)
    {
        if (path.EndsWith(".conf", StringComparison.OrdinalIgnoreCase))
        {
            return HoconSyntax.Conf;
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return HoconSyntax.Json;
        }

        if (path.EndsWith(".properties", StringComparison.OrdinalIgnoreCase))
        {
            return HoconSyntax.Properties;
        }

        return null;
    }
}
