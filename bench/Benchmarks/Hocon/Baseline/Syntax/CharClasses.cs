using System.Globalization;

namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>HOCON's character classes: whitespace and the characters unquoted text may not contain.</summary>
internal static class CharClasses
{
    private static readonly bool[] ForbiddenAscii = BuildForbidden();
    private static readonly bool[] EndsUnquotedAscii = BuildEndsUnquoted();

    /// <summary>
    /// A quick first test for the end of unquoted text: false means the character certainly continues it
    /// (plain letters, digits, most punctuation); true means look closer (forbidden, whitespace, '/', non-ASCII).
    /// </summary>
    public static bool MayEndUnquoted(char c) => c >= 128 || EndsUnquotedAscii[c];

    /// <summary>
    /// Whitespace per the spec: Unicode Zs/Zl/Zp, tab, newline, vertical tab, form feed, carriage return,
    /// the four ASCII separators 0x1C-0x1F, and the byte-order mark (so a BOM at the start is ignored).
    /// </summary>
    public static bool IsWhitespace(char c)
    {
        if (c < 128)
        {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F');
        }

        if (c == '\uFEFF')
        {
            return true;
        }

        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>Characters that end unquoted text and are reserved outside quotes.</summary>
    public static bool IsForbiddenInUnquoted(char c) => c < 128 && ForbiddenAscii[c];

    private static bool[] BuildEndsUnquoted()
    {
        var table = BuildForbidden();
        for (var c = 0; c < 128; c++)
        {
            table[c] |= IsWhitespace((char)c) || c == '\n' || c == '/';
        }

        return table;
    }

    private static bool[] BuildForbidden()
    {
        var table = new bool[128];
        foreach (var c in "$\"{}[]:=,+#`^?!@*&\\")
        {
            table[c] = true;
        }

        return table;
    }
}
