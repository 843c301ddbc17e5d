namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>The syntaxes the parser reads.</summary>
internal enum HoconSyntax
{
    /// <summary>HOCON (<c>.conf</c>).</summary>
    Conf,

    /// <summary>Strict JSON (<c>.json</c>): no comments, unquoted text, substitutions or includes.</summary>
    Json,

    /// <summary>Java properties (<c>.properties</c>): dotted keys, every value a string.</summary>
    Properties,
}
