using System.Globalization;
using System.Text;

namespace ActorHost.Benchmarks.Hocon.Baseline.Rendering;

/// <summary>
/// Renders resolved values as JSON (which is also valid HOCON). Keys keep their definition order; numbers
/// are written as they were in the source; lone surrogates are escaped so the output is always valid UTF-16.
/// </summary>
internal static class JsonRenderer
{
    public static string Render(HoconValue value, bool indented)
    {
        var sb = new StringBuilder();
        Write(sb, value, indented, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, HoconValue value, bool indented, int level)
    {
        switch (value)
        {
            case HoconObject o:
                WriteObject(sb, o, indented, level);
                break;
            case HoconArray a:
                WriteArray(sb, a, indented, level);
                break;
            case HoconString s:
                WriteString(sb, s.Value);
                break;
            case HoconNumber n:
                sb.Append(n.Text);
                break;
            case HoconBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteObject(StringBuilder sb, HoconObject o, bool indented, int level)
    {
        if (o.Count == 0)
        {
            sb.Append("{}");
            return;
        }

        sb.Append('{');
        var first = true;
        foreach (var (key, value) in o)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            NewLine(sb, indented, level + 1);
            WriteString(sb, key);
            sb.Append(indented ? ": " : ":");
            Write(sb, value, indented, level + 1);
        }

        NewLine(sb, indented, level);
        sb.Append('}');
    }

    private static void WriteArray(StringBuilder sb, HoconArray a, bool indented, int level)
    {
        if (a.Count == 0)
        {
            sb.Append("[]");
            return;
        }

        sb.Append('[');
        for (var i = 0; i < a.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            NewLine(sb, indented, level + 1);
            Write(sb, a[i], indented, level + 1);
        }

        NewLine(sb, indented, level);
        sb.Append(']');
    }

    private static void NewLine(StringBuilder sb, bool indented, int level)
    {
        if (indented)
        {
            sb.Append('\n').Append(' ', level * 2);
        }
    }

    /// <summary>Writes a JSON string literal with the escapes JSON requires.</summary>
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || IsLoneSurrogate(s, i))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                        if (char.IsHighSurrogate(c))
                        {
                            sb.Append(s[++i]);
                        }
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static bool IsLoneSurrogate(string s, int i)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]);
        }

        return char.IsLowSurrogate(c);
    }
}
