using System.Text;
using ActorHost.Benchmarks.Hocon.Baseline.Raw;

namespace ActorHost.Benchmarks.Hocon.Baseline.Loading;

/// <summary>How simple values read inside a string concatenation: numbers as written, null as "null".</summary>
internal static class ConcatenationText
{
    public static string Of(HoconValue value) => value switch
    {
        HoconString s => s.Value,
        HoconNumber n => n.Text,
        HoconBoolean b => b.Value ? "true" : "false",
        _ => "null",
    };

    public static string Join(RawNode[] pieces)
    {
        var sb = new StringBuilder();
        foreach (var piece in pieces)
        {
            sb.Append(piece is RawWhitespace w ? w.Text : Of(((RawResolved)piece).Value));
        }

        return sb.ToString();
    }
}
