using System.Globalization;

namespace ActorHost.Hocon.Syntax;

/// <summary>HOCON's character classes: whitespace and the characters unquoted text may not contain.</summary>
internal static class CharClasses
{
    private static readonly bool[] ForbiddenAscii = BuildForbidden();

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
