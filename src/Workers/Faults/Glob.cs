using System.Text;
using System.Text.RegularExpressions;

namespace ActorHost.Workers.Faults;

/// <summary>A <c>*</c>/<c>?</c> wildcard pattern, matched ordinally against the whole text.</summary>
internal sealed class Glob
{
    private readonly Regex? _regex;
    private readonly bool _matchesAll;

    public Glob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _matchesAll = pattern.Length > 0 && pattern.All(c => c == '*');
        if (!_matchesAll)
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

    public bool IsMatch(string text) => _matchesAll || _regex!.IsMatch(text);
}
