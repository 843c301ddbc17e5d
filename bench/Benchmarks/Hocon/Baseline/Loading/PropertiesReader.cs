using System.Globalization;
using System.Text;
using ActorHost.Benchmarks.Hocon.Baseline.Raw;

namespace ActorHost.Benchmarks.Hocon.Baseline.Loading;

/// <summary>
/// Reads Java <c>.properties</c> text (comments with # or !, separators '=', ':' or whitespace, backslash
/// continuation lines and escapes) into an object: keys split at every '.', values always strings. When a
/// key is both a value and a parent (<c>a=1</c>, <c>a.b=2</c>), the object wins, as the spec says.
/// </summary>
internal static class PropertiesReader
{
    public static RawObject Read(string text, string source)
    {
        var root = new RawObject(new HoconOrigin(source, 1, 1));
        var lines = LogicalLines(text);
        foreach (var (line, lineNumber) in lines)
        {
            var (key, value, column) = SplitEntry(line, source, lineNumber);
            if (key is null)
            {
                continue;
            }

            var origin = new HoconOrigin(source, lineNumber, column);
            var keys = key.Split('.');
            if (keys.Length > HoconLimits.MaxDepth)
            {
                throw new HoconException(origin, $"the key has more than {HoconLimits.MaxDepth} parts");
            }

            Set(root, keys, new HoconString(value, origin), origin);
        }

        return root;
    }

    private static void Set(RawObject root, string[] keys, HoconString value, HoconOrigin origin)
    {
        var current = root;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (current.Fields.TryGetValue(keys[i], out var existing) && existing is RawObject child)
            {
                current = child;
                continue;
            }

            // Missing, or a string that must give way to the object.
            var created = new RawObject(origin);
            current.Fields[keys[i]] = created;
            current = created;
        }

        var last = keys[^1];
        if (current.Fields.TryGetValue(last, out var present) && present is RawObject)
        {
            return; // the object wins over a plain value
        }

        current.Fields[last] = new RawResolved(value);
    }

    /// <summary>Joins continuation lines; yields each logical line with the number of its first physical line.</summary>
    private static List<(string Line, int Number)> LogicalLines(string text)
    {
        var result = new List<(string, int)>();
        var physical = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var i = 0;
        while (i < physical.Length)
        {
            var start = i;
            var line = physical[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] == '#' || line[0] == '!')
            {
                i++;
                continue;
            }

            var sb = new StringBuilder();
            while (true)
            {
                var trailing = CountTrailingBackslashes(line);
                if (trailing % 2 == 1 && i + 1 < physical.Length)
                {
                    sb.Append(line, 0, line.Length - 1);
                    i++;
                    line = physical[i].TrimStart(' ', '\t', '\f');
                    continue;
                }

                sb.Append(trailing % 2 == 1 ? line[..^1] : line);
                break;
            }

            result.Add((sb.ToString(), start + 1));
            i++;
        }

        return result;
    }

    private static int CountTrailingBackslashes(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return count;
    }

    private static (string? Key, string Value, int Column) SplitEntry(string line, string source, int lineNumber)
    {
        var key = new StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\')
            {
                i = Unescape(line, i, key, source, lineNumber);
                continue;
            }

            if (c is '=' or ':' or ' ' or '\t' or '\f')
            {
                break;
            }

            key.Append(c);
            i++;
        }

        // Separator: whitespace, then optionally one '=' or ':', then whitespace.
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }

        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        var value = new StringBuilder();
        while (i < line.Length)
        {
            if (line[i] == '\\')
            {
                i = Unescape(line, i, value, source, lineNumber);
                continue;
            }

            value.Append(line[i]);
            i++;
        }

        return (key.ToString(), value.ToString(), 1);
    }

    private static int Unescape(string line, int i, StringBuilder sb, string source, int lineNumber)
    {
        if (i + 1 >= line.Length)
        {
            return i + 1;
        }

        var e = line[i + 1];
        switch (e)
        {
            case 't': sb.Append('\t'); break;
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 'f': sb.Append('\f'); break;
            case 'u':
                if (i + 6 > line.Length
                    || !int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    throw new HoconException(new HoconOrigin(source, lineNumber, i + 1), "invalid \\u escape: expected four hexadecimal digits");
                }

                sb.Append((char)code);
                return i + 6;
            default:
                sb.Append(e);
                break;
        }

        return i + 2;
    }
}
