using System.Text;
using ActorHost.Benchmarks.Hocon.Baseline.Rendering;
using ActorHost.Benchmarks.Hocon.Baseline.Syntax;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>A parsed path: the keys from the root to a value. Immutable.</summary>
internal sealed class KeyPath : IEquatable<KeyPath>
{
    private readonly string[] _keys;

    public KeyPath(string[] keys)
    {
        _keys = keys;
    }

    public static KeyPath Empty { get; } = new([]);

    public int Length => _keys.Length;

    public bool IsEmpty => _keys.Length == 0;

    public string this[int index] => _keys[index];

    public ReadOnlySpan<string> Keys => _keys;

    public string First => _keys[0];

    public string Last => _keys[^1];

    public KeyPath Append(string key)
    {
        var keys = new string[_keys.Length + 1];
        _keys.CopyTo(keys, 0);
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

        return new KeyPath([.. _keys, .. other._keys]);
    }

    public KeyPath Parent() => new(_keys[..^1]);

    public KeyPath Take(int count) => count == _keys.Length ? this : new KeyPath(_keys[..count]);

    public bool StartsWith(KeyPath prefix)
    {
        if (prefix.Length > Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(_keys[i], prefix._keys[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Renders the path so it parses back to the same keys (quoting keys that need it).</summary>
    public string Render()
    {
        if (_keys.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < _keys.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            var key = _keys[i];
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

    public bool Equals(KeyPath? other) => other is not null && _keys.AsSpan().SequenceEqual(other._keys);

    public override bool Equals(object? obj) => Equals(obj as KeyPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var key in _keys)
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
