namespace ActorHost.Benchmarks.Hocon.Baseline.Units;

/// <summary>Splits "<c> 10 ms </c>" into the number text and the unit (trailing letters), per the spec's units format.</summary>
internal static class UnitText
{
    public static (string Number, string Unit) Split(string text)
    {
        var trimmed = text.AsSpan().Trim();
        var end = trimmed.Length;
        while (end > 0 && char.IsLetter(trimmed[end - 1]))
        {
            end--;
        }

        return (trimmed[..end].Trim().ToString(), trimmed[end..].ToString());
    }
}
