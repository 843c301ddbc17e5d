using System.Text;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// Turns an entity key (any text from a URL) into a valid actor name and back: characters an actor name may
/// not hold ('/', whitespace, control characters, '%', and a leading '$') are percent-encoded as UTF-8, so
/// <c>42</c> stays <c>42</c> and the path reads <c>/user/routes/counter/42</c>.
/// </summary>
internal static class EntityName
{
    public static string Encode(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!NeedsEncoding(key))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length + 8);
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            bool escape = c == '/' || c == '%' || char.IsWhiteSpace(c) || char.IsControl(c) || (i == 0 && c == '$')
                || char.IsSurrogate(c);
            if (!escape)
            {
                builder.Append(c);
                continue;
            }

            int length = char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]) ? 2 : 1;
            foreach (byte b in Encoding.UTF8.GetBytes(key.Substring(i, length)))
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            i += length - 1;
        }

        return builder.ToString();
    }

    public static string Decode(string name) => name.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(name) : name;

    private static bool NeedsEncoding(string key)
    {
        if (key[0] == '$')
        {
            return true;
        }

        foreach (char c in key)
        {
            if (c == '/' || c == '%' || char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
