using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;
using AspNetRouteOptions = Microsoft.AspNetCore.Routing.RouteOptions;

namespace ActorHost.Workers.Configuration;

/// <summary>
/// Checks a route template the way ASP.NET Core will use it, before anything listens: the gateway maps each
/// route with <c>MapMethods</c>, which throws on a template it cannot parse (a crash at start), and resolves
/// inline constraints only at the first request (an unknown one turns every route into an empty 500).
/// </summary>
internal static class RouteTemplates
{
    // ASP.NET's default constraint names (int, guid, regex, ...): the gateway registers no others.
    private static readonly HashSet<string> KnownConstraints =
        new HashSet<string>(new AspNetRouteOptions().ConstraintMap.Keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="template"/>; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string template, [NotNullWhen(true)] out RoutePattern? pattern, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            pattern = RoutePatternFactory.Parse(template);
        }
        catch (RoutePatternException e)
        {
            pattern = null;
            problem = $"\"{template}\" is not a valid route template: {e.Message}";
            return false;
        }

        foreach (RoutePatternParameterPart parameter in pattern.Parameters)
        {
            foreach (RoutePatternParameterPolicyReference policy in parameter.ParameterPolicies)
            {
                string? name = ConstraintName(policy);
                if (name is not null && !KnownConstraints.Contains(name))
                {
                    pattern = null;
                    problem = $"\"{template}\": parameter \"{parameter.Name}\" has the unknown constraint \"{name}\" " +
                        $"(known: {string.Join(", ", KnownConstraints.Order(StringComparer.Ordinal))})";
                    return false;
                }
            }
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// The template with its parameter names left out: two templates with the same shape match the same
    /// requests (<c>/x/{id}</c> and <c>/x/{key}</c>), which ASP.NET reports per request as an ambiguous match.
    /// </summary>
    public static string Shape(RoutePattern pattern)
    {
        var shape = new StringBuilder();
        foreach (RoutePatternPathSegment segment in pattern.PathSegments)
        {
            shape.Append('/');
            foreach (RoutePatternPart part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        shape.Append(literal.Content.ToUpperInvariant());
                        break;
                    case RoutePatternSeparatorPart separator:
                        shape.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        shape.Append('{')
                            .Append(parameter.IsCatchAll ? "*" : "")
                            .Append(string.Join(":", parameter.ParameterPolicies.Select(p => p.Content)))
                            .Append(parameter.IsOptional ? "?" : "")
                            .Append('}');
                        break;
                }
            }
        }

        return shape.ToString();
    }

    // An inline constraint is "name" or "name(argument)"; a policy given as an object has no name to check.
    private static string? ConstraintName(RoutePatternParameterPolicyReference policy)
    {
        if (policy.Content is not { Length: > 0 } content)
        {
            return null;
        }

        int open = content.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? content : content[..open];
    }
}
