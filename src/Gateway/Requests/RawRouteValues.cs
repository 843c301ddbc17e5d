using Microsoft.AspNetCore.Routing.Patterns;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// Route values as the client meant them. Kestrel decodes a request's path except for an encoded slash (<c>%2F</c>),
/// so a route value holding one is ambiguous: <c>a%2Fb</c> may have been sent as <c>a%2Fb</c> (the key "a/b") or as
/// <c>a%252Fb</c> (the key "a%2Fb"), and <c>a%2fb</c> would be yet another value. Keys must not collide or split
/// like that (one entity per key), so a value that still holds a <c>%</c> is taken again from the raw request
/// target and decoded once.
/// </summary>
/// <remarks>
/// Only parameters that fill a whole template segment (<c>/{id}/</c>, or a catch-all <c>{**rest}</c>) can be
/// found in the raw target; a value of a segment with other text in it (<c>/{id}.json</c>) is left as Kestrel
/// decoded it. The raw segment is used only if decoding it Kestrel's way gives the value Kestrel gave, so a target
/// that Kestrel normalised (dot segments) never maps to the wrong segment.
/// </remarks>
internal sealed class RawRouteValues
{
    private readonly Dictionary<string, (int Segment, bool CatchAll)> _segments = new(StringComparer.OrdinalIgnoreCase);

    private RawRouteValues(RoutePattern pattern)
    {
        for (int i = 0; i < pattern.PathSegments.Count; i++)
        {
            IReadOnlyList<RoutePatternPart> parts = pattern.PathSegments[i].Parts;
            if (parts is [RoutePatternParameterPart parameter])
            {
                _segments[parameter.Name] = (i, parameter.IsCatchAll);
            }
        }
    }

    /// <summary>The locator for a route template.</summary>
    public static RawRouteValues For(string template) => new(RoutePatternFactory.Parse(template));

    /// <summary>
    /// <paramref name="value"/> (route value <paramref name="name"/> as Kestrel decoded it) decoded from the raw
    /// target instead, or <paramref name="value"/> itself when it holds no <c>%</c> or cannot be found there.
    /// </summary>
    public string Decode(string name, string value, string? rawTarget)
    {
        if (!value.Contains('%', StringComparison.Ordinal) || rawTarget is null || !rawTarget.StartsWith('/')
            || !_segments.TryGetValue(name, out (int Segment, bool CatchAll) place))
        {
            return value;
        }

        int queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string[] raw = (queryStart < 0 ? rawTarget : rawTarget[..queryStart]).Split('/');

        // raw[0] is the empty text before the leading slash: template segment i is raw segment i + 1.
        int first = place.Segment + 1;
        if (first >= raw.Length)
        {
            return value;
        }

        string segment = place.CatchAll ? string.Join('/', raw, first, raw.Length - first) : raw[first];
        return KestrelDecoded(segment) == value ? Uri.UnescapeDataString(segment) : value;
    }

    // What Kestrel makes of a raw path text: every escape decoded except an encoded slash.
    private static string KestrelDecoded(string raw) =>
        Uri.UnescapeDataString(raw.Replace("%2F", "%252F", StringComparison.Ordinal).Replace("%2f", "%252f", StringComparison.Ordinal));
}
