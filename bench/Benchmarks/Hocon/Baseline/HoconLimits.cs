using System.Runtime.CompilerServices;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// Bounds that keep adversarial input from exhausting the stack: nesting depth of objects and arrays
/// (including the levels a dotted key creates), substitution chains, and include nesting.
/// </summary>
internal static class HoconLimits
{
    /// <summary>Objects and arrays may nest this deep, in the text and in resolved values.</summary>
    public const int MaxDepth = 256;

    /// <summary>A substitution may lead through at most this many others before resolving.</summary>
    public const int MaxResolveDepth = 1024;

    /// <summary>
    /// A resolved configuration may stand for at most this many values when written out: substitutions can
    /// share a value many times over (<c>b = [${a}, ${a}]</c>, <c>c = [${b}, ${b}]</c>, …), and a few lines
    /// must not expand into more JSON than memory holds.
    /// </summary>
    public const long MaxExpandedValues = 10_000_000;

    /// <summary>Includes may nest this deep (the reference implementation stops at 50 too).</summary>
    public const int MaxIncludeDepth = 50;

    /// <summary>Fails with a clear error instead of a stack overflow when the stack is nearly exhausted.</summary>
    public static void EnsureStack(HoconOrigin origin)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new HoconException(origin, "configuration is nested too deeply to process");
        }
    }
}
