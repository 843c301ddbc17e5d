using System.Text;
using ActorHost.Hocon.Rendering;
using ActorHost.Hocon.Syntax;

namespace ActorHost.Hocon;

/// <summary>A parsed path: the keys from the root to a value. Immutable.</summary>
internal sealed class KeyPath : IEquatable<KeyPath>
{
    // Most paths are one key (a field name): that key is kept in _single without an array, which saves an
    // allocation per field while parsing. Otherwise _keys holds the keys (empty for the empty path).
    private readonly string[]? _keys;
    private readonly string _single = string.Empty;

    public KeyPath(string[] keys)
    {
        _keys = keys;
    }

    public KeyPath(string key)
    {
        _single = key;
    }

    public static KeyPath Empty { get; } = new([]);

    public int Length => _keys?.Length ?? 1;

    public bool IsEmpty => Length == 0;

    public string this[int index] => Keys[index];

    public ReadOnlySpan<string> Keys => _keys ?? new ReadOnlySpan<string>(in _single);

    public string First => Keys[0];

    public string Last => Keys[^1];

    public KeyPath Append(string key)
    {
        var keys = new string[Length + 1];
        Keys.CopyTo(keys);
        keys[^1] = key;
        return new KeyPath(keys);
    }

    public KeyPath Append(KeyPath other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        return new KeyPath([.. Keys, .. other.Keys]);
    }

    public KeyPath Parent() => new(Keys[..^1].ToArray());

    public KeyPath Take(int count) => count == Length ? this : new KeyPath(Keys[..count].ToArray());

    public bool StartsWith(KeyPath prefix)
    {
        if (prefix.Length > Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(this[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Renders the path so it parses back to the same keys (quoting keys that need it).</summary>
    public string Render()
    {
        var keys = Keys;
        if (keys.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            var key = keys[i];
            if (NeedsQuotes(key))
            {
                JsonRenderer.WriteString(sb, key);
            }
            else
            {
                sb.Append(key);
            }
        }

        return sb.ToString();
    }

    public override string ToString() => Render();

    public bool Equals(KeyPath? other) => other is not null && Keys.SequenceEqual(other.Keys);

    public override bool Equals(object? obj) => Equals(obj as KeyPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var key in Keys)
        {
            hash.Add(key, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static bool NeedsQuotes(string key)
    {
        if (key.Length == 0 || key is "true" or "false" or "null" || key == "include")
        {
            return true;
        }

        if (key[0] == '-' || char.IsAsciiDigit(key[0]))
        {
            // Number-looking keys are fine unquoted unless they contain characters a number run would eat.
            foreach (var c in key)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return true;
                }
            }

            return false;
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '.' || c == '\n' || CharClasses.IsWhitespace(c) || CharClasses.IsForbiddenInUnquoted(c)
                || (c == '/' && i + 1 < key.Length && key[i + 1] == '/'))
            {
                return true;
            }
        }

        return key.StartsWith("true", StringComparison.Ordinal) || key.StartsWith("false", StringComparison.Ordinal)
            || key.StartsWith("null", StringComparison.Ordinal);
    }
}
