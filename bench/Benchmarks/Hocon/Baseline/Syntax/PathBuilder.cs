using System.Text;

namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>
/// Builds a path from the tokens of a path expression (a key or the inside of <c>${}</c>): dots outside
/// quotes separate keys, dots inside quotes do not, number text splits at its dots (<c>1.0</c> is two keys),
/// and whitespace between tokens is part of the key.
/// </summary>
internal sealed class PathBuilder
{
    private readonly List<string> _keys = [];
    private readonly StringBuilder _current = new();
    private bool _currentQuoted;

    public void Reset()
    {
        _keys.Clear();
        _current.Clear();
        _currentQuoted = false;
    }

    public void AddQuoted(string text)
    {
        _current.Append(text);
        _currentQuoted = true;
    }

    public void AddWhitespace(string text) => _current.Append(text);

    /// <summary>Adds unquoted text, splitting at dots; returns an error message or null.</summary>
    public string? AddUnquoted(string text)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            if (dot < 0)
            {
                _current.Append(rest);
                return null;
            }

            _current.Append(rest[..dot]);
            if (_current.Length == 0 && !_currentQuoted)
            {
                return "a path element cannot be empty (a path may not start with '.', end with '.' or contain '..'; quote an empty key as \"\")";
            }

            _keys.Add(_current.ToString());
            _current.Clear();
            _currentQuoted = false;
            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>Finishes the path; returns an error message (and a null path) when the last key is empty.</summary>
    public (KeyPath? Path, string? Error) Build()
    {
        if (_current.Length == 0 && !_currentQuoted)
        {
            return (null, _keys.Count == 0
                ? "expected a path, found nothing"
                : "a path element cannot be empty (a path may not end with '.'; quote an empty key as \"\")");
        }

        _keys.Add(_current.ToString());
        return (new KeyPath([.. _keys]), null);
    }
}
