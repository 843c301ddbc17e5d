using ActorHost.Benchmarks.Hocon.Baseline.Loading;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>Entry points: parse HOCON, JSON or properties text and files, and load layered configurations.</summary>
internal static class ConfigFactory
{
    /// <summary>Parses a string (HOCON unless <see cref="HoconParseOptions.Syntax"/> says otherwise).</summary>
    /// <param name="text">The document.</param>
    /// <param name="options">Syntax, source name for messages, include base directory.</param>
    public static UnresolvedConfig ParseString(string text, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= HoconParseOptions.Default;
        var loader = new HoconLoader(options);
        return new UnresolvedConfig(loader.LoadText(text, options.SourceName ?? "string", options.Syntax ?? HoconSyntax.Conf, filePath: null));
    }

    /// <summary>
    /// Parses a file; its syntax comes from the extension (.json, .properties, anything else HOCON) unless
    /// <see cref="HoconParseOptions.Syntax"/> is set. A missing file is an error.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Parse options.</param>
    public static UnresolvedConfig ParseFile(string path, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= HoconParseOptions.Default;
        var syntax = options.Syntax ?? IncludeCandidate.SyntaxOf(path) ?? HoconSyntax.Conf;
        return new UnresolvedConfig(new HoconLoader(options).LoadFile(path, syntax));
    }

    /// <summary>
    /// Parses every existing <c>basename.properties</c>, <c>basename.json</c> and <c>basename.conf</c> and
    /// merges them, <c>.conf</c> winning (the same rule as an extension-less include).
    /// </summary>
    /// <param name="basename">The path without extension (with one, only that file is read).</param>
    /// <param name="options">Parse options.</param>
    public static UnresolvedConfig ParseFileAnySyntax(string basename, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(basename);
        return new UnresolvedConfig(new HoconLoader(options ?? HoconParseOptions.Default).LoadAnySyntax(basename));
    }

    /// <summary>
    /// Loads a layered configuration: <paramref name="referenceFile"/> is resolved on its own (its
    /// substitutions never see the layers above), then <paramref name="files"/> are layered over it, later
    /// files winning, and resolved together with the reference as fallback.
    /// </summary>
    /// <param name="referenceFile">The defaults (every key, documented), or null for none.</param>
    /// <param name="files">The application files, lowest priority first.</param>
    /// <param name="resolveOptions">Environment fallback; <see cref="HoconResolveOptions.Default"/> when null.</param>
    /// <param name="parseOptions">Parse options for every file.</param>
    public static Config Load(string? referenceFile, IEnumerable<string> files, HoconResolveOptions? resolveOptions = null, HoconParseOptions? parseOptions = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var reference = referenceFile is null ? Config.Empty : ParseFile(referenceFile, parseOptions).Resolve(resolveOptions);
        var application = UnresolvedConfig.Empty;
        foreach (var file in files)
        {
            application = ParseFile(file, parseOptions).WithFallback(application);
        }

        return application.WithFallback(reference).Resolve(resolveOptions);
    }
}
