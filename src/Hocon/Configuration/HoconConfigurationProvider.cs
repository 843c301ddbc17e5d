using ActorHost.Hocon.Loading;
using Microsoft.Extensions.Configuration;

namespace ActorHost.Hocon;

/// <summary>
/// Loads a HOCON (or .json/.properties) file, resolves it, and exposes it flattened with ':' keys. Relative
/// includes resolve against the file's directory. Reloading on change is the base class's job.
/// </summary>
public sealed class HoconConfigurationProvider : FileConfigurationProvider
{
    /// <summary>Creates the provider.</summary>
    /// <param name="source">The source.</param>
    public HoconConfigurationProvider(HoconConfigurationSource source)
        : base(source)
    {
    }

    /// <inheritdoc />
    public override void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var physicalPath = Source.Path is null ? null : Source.FileProvider?.GetFileInfo(Source.Path).PhysicalPath;
        var name = physicalPath ?? Source.Path ?? "configuration";
        var options = new HoconParseOptions
        {
            SourceName = name,
            BaseDirectory = physicalPath is null ? null : Path.GetDirectoryName(physicalPath),
            Syntax = IncludeCandidate.SyntaxOf(name) ?? HoconSyntax.Conf,
        };

        var resolveOptions = (Source as HoconConfigurationSource)?.ResolveOptions;
        var config = ConfigFactory.ParseString(text, options).Resolve(resolveOptions);
        Data = HoconConfigurationFlattener.Flatten(config.Root);
    }
}
