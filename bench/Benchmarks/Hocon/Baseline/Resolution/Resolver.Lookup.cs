using ActorHost.Benchmarks.Hocon.Baseline.Raw;

namespace ActorHost.Benchmarks.Hocon.Baseline.Resolution;

/// <summary>Finding the node a substitution path points at, resolving only what lies on the way.</summary>
internal sealed partial class Resolver
{
    private readonly HashSet<RawNode> _walking = [];
    private readonly Dictionary<(RawNode Parent, string Key), RawNode?> _children = [];

    /// <summary>
    /// Looks the path up under the include prefix first, then from the root; when neither exists, a
    /// single-key path may come from the environment.
    /// </summary>
    private RawNode? LocateSubstitution(RawSubstitution substitution, ResolveView view, out HoconValue? fromEnvironment)
    {
        fromEnvironment = null;
        if (!substitution.Prefix.IsEmpty && Locate(substitution.Prefix.Append(substitution.Path), view) is { } relative)
        {
            return relative;
        }

        if (Locate(substitution.Path, view) is { } absolute)
        {
            return absolute;
        }

        if (_environment is not null && substitution.Path.Length == 1)
        {
            var name = substitution.Path.First;
            if (_environment(name) is { } text)
            {
                fromEnvironment = new HoconString(text, HoconOrigin.EnvironmentVariable(name));
            }
        }

        return null;
    }

    private RawNode? Locate(KeyPath path, ResolveView view)
    {
        RawNode? node = _root;
        for (var i = 0; i < path.Length; i++)
        {
            node = Child(node, path[i], view);
            if (node is null)
            {
                return null;
            }

            node = ApplyView(node, view);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static RawNode? ApplyView(RawNode node, ResolveView view)
    {
        if (node is RawMergeStack stack && view.TryGetVisibleLayers(stack.Owner, out var visible))
        {
            return stack.Owner.Below(visible);
        }

        return node;
    }

    /// <summary>
    /// The child <paramref name="key"/> of <paramref name="node"/>. Objects are read directly; other
    /// nodes are resolved only as far as needed, so an object may refer to its own fields.
    /// </summary>
    private RawNode? Child(RawNode node, string key, ResolveView view)
    {
        switch (node)
        {
            case RawObject obj:
                return obj.Fields.TryGetValue(key, out var field) ? field : null;
            case RawResolved resolved:
                return ChildOfValue(resolved.Value, key);
        }

        if (_memo.TryGetValue(node, out var done))
        {
            return done is null ? null : ChildOfValue(done, key);
        }

        return node switch
        {
            RawSubstitution substitution => ChildThroughSubstitution(substitution, key, view),
            RawMergeStack stack => ChildOfStack(stack, key, view),
            RawConcatenation concatenation => ChildOfConcatenation(concatenation, key, view),
            _ => null,
        };
    }

    private static RawResolved? ChildOfValue(HoconValue value, string key) =>
        value is HoconObject obj && obj.TryGetValue(key, out var child) ? new RawResolved(child) : null;

    private RawNode? ChildThroughSubstitution(RawSubstitution substitution, string key, ResolveView view)
    {
        // Walk to the target instead of resolving the substitution: `a = ${b}` with `b = { x = 1, y = ${a.x} }`
        // must not need all of `b` to find `a.x`.
        if (!_walking.Add(substitution))
        {
            throw new CycleSignal(substitution, $"substitution cycle: {substitution} leads back to itself");
        }

        try
        {
            var target = LocateSubstitution(substitution, view, out var fromEnvironment);
            if (target is null)
            {
                return fromEnvironment is null ? null : ChildOfValue(fromEnvironment, key);
            }

            return Child(target, key, view);
        }
        finally
        {
            _walking.Remove(substitution);
        }
    }

    private RawNode? ChildOfStack(RawMergeStack stack, string key, ResolveView view)
    {
        var contributions = new List<RawNode>(2);
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var layer = stack.Layers[i];
            RawNode? contribution;
            if (layer.IsUnmergeable)
            {
                var value = Resolve(layer, view.With(stack.Owner, i));
                if (value is null)
                {
                    continue;
                }

                if (value is not HoconObject)
                {
                    break;
                }

                contribution = ChildOfValue(value, key);
            }
            else if (layer is RawObject obj)
            {
                contribution = obj.Fields.TryGetValue(key, out var field) ? field : null;
            }
            else if (layer is RawResolved { Value: HoconObject resolved })
            {
                contribution = ChildOfValue(resolved, key);
            }
            else
            {
                break; // a non-object layer hides the layers below it
            }

            if (contribution is not null)
            {
                contributions.Add(contribution);
                if (contribution.IsDefiniteNonObject)
                {
                    break;
                }
            }
        }

        return Combine(stack, key, contributions);
    }

    private RawNode? ChildOfConcatenation(RawConcatenation concatenation, string key, ResolveView view)
    {
        var contributions = new List<RawNode>(2);
        for (var i = concatenation.Pieces.Length - 1; i >= 0; i--)
        {
            var piece = concatenation.Pieces[i];
            RawNode? contribution;
            switch (piece)
            {
                case RawWhitespace:
                    continue;
                case RawObject obj:
                    contribution = obj.Fields.TryGetValue(key, out var field) ? field : null;
                    break;
                case RawResolved { Value: HoconObject resolved }:
                    contribution = ChildOfValue(resolved, key);
                    break;
                case { IsUnmergeable: true }:
                    var value = Resolve(piece, view);
                    if (value is null)
                    {
                        continue;
                    }

                    if (value is not HoconObject)
                    {
                        return null; // a string or array concatenation has no fields
                    }

                    contribution = ChildOfValue(value, key);
                    break;
                default:
                    return null;
            }

            if (contribution is not null)
            {
                contributions.Add(contribution);
                if (contribution.IsDefiniteNonObject)
                {
                    break;
                }
            }
        }

        return Combine(concatenation, key, contributions);
    }

    /// <summary>One contribution is the child itself; several (newest first) merge like duplicate keys.</summary>
    private RawNode? Combine(RawNode parent, string key, List<RawNode> newestFirst)
    {
        if (newestFirst.Count == 0)
        {
            return null;
        }

        if (newestFirst.Count == 1)
        {
            return newestFirst[0];
        }

        if (_children.TryGetValue((parent, key), out var cached))
        {
            return cached;
        }

        newestFirst.Reverse();
        var stack = new RawMergeStack(newestFirst[^1].Origin, [.. newestFirst]);
        _children[(parent, key)] = stack;
        return stack;
    }
}
