namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>The words used for value types in messages, the same everywhere.</summary>
internal static class TypeNames
{
    public static string Of(HoconValueType type) => type switch
    {
        HoconValueType.Object => "object",
        HoconValueType.Array => "list",
        HoconValueType.String => "string",
        HoconValueType.Number => "number",
        HoconValueType.Boolean => "boolean",
        _ => "null",
    };
}
