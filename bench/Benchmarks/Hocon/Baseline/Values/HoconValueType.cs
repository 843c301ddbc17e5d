namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>The JSON types a resolved HOCON value can have.</summary>
#pragma warning disable CA1720 // the members are named after the JSON types on purpose
internal enum HoconValueType
{
    /// <summary>An object: ordered fields.</summary>
    Object,

    /// <summary>An array (a list).</summary>
    Array,

    /// <summary>A string.</summary>
    String,

    /// <summary>A number, kept as written.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary><c>null</c>.</summary>
    Null,
}
#pragma warning restore CA1720
