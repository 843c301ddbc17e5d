using System.Text;
using System.Text.RegularExpressions;

namespace ActorHost.Workers.Faults;

/// <summary>A <c>*</c>/<c>?</c> wildcard pattern, matched ordinally against the whole text.</summary>
internal sealed class Glob
{
    private readonly Regex? _regex;
    private readonly bool _matchesAll;
    private readonly bool _literal;

    public Glob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _matchesAll = pattern.Length > 0 && pattern.All(c => c == '*');

        // A pattern without wildcards (a route name, most of the time) is compared as a string: rules are
        // matched against every request while they are installed, and a regex scan per request adds up.
        _literal = pattern.IndexOfAny(['*', '?']) < 0;
        if (!_matchesAll && !_literal)
        {
            var builder = new StringBuilder("^");
            foreach (char c in pattern)
            {
                builder.Append(c switch
                {
                    '*' => ".*",
                    '?' => ".",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            _regex = new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    public string Pattern { get; }

    public bool IsMatch(string text) => _matchesAll || (_literal ? string.Equals(text, Pattern, StringComparison.Ordinal) : _regex!.IsMatch(text));
}
