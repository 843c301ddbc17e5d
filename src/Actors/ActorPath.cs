using System.Text;

namespace ActorHost.Actors;

/// <summary>
/// The location of an actor in its system's tree, e.g. <c>/user/routes/counter/42</c>.
/// Immutable; two paths are equal when their element sequences are equal.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private string? _text;

    private ActorPath(ActorPath? parent, string name)
    {
        Parent = parent;
        Name = name;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>The root path <c>/</c>.</summary>
    public static ActorPath Root { get; } = new(null, string.Empty);

    /// <summary>The parent path, or <see langword="null"/> for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element (the actor's name); empty for the root.</summary>
    public string Name { get; }

    /// <summary>Number of elements below the root (the root has depth 0, <c>/user</c> has depth 1).</summary>
    public int Depth { get; }

    /// <summary>The elements from the root downwards, e.g. <c>["user", "routes", "counter"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent)
            {
                elements[p.Depth - 1] = p.Name;
            }

            return elements;
        }
    }

    /// <summary>Builds the path of a child named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidActorNameException">The name is not a valid actor name.</exception>
    public ActorPath Child(string name)
    {
        ActorName.Validate(name, allowReserved: true);
        return new ActorPath(this, name);
    }

    /// <summary>Parses a path written as <c>/a/b/c</c>.</summary>
    /// <exception cref="ArgumentException">The text is not an absolute path of valid names.</exception>
    public static ActorPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path[0] != '/')
        {
            throw new ArgumentException($"An actor path must start with '/': \"{path}\".", nameof(path));
        }

        var result = Root;
        foreach (var element in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                result = result.Child(Uri.UnescapeDataString(element));
            }
            catch (InvalidActorNameException e)
            {
                throw new ArgumentException($"Invalid actor path \"{path}\": {e.Message}", nameof(path), e);
            }
        }

        return result;
    }

    /// <summary>True when this path is <paramref name="other"/> or lies below it.</summary>
    public bool IsDescendantOrSelf(ActorPath other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var p = this;
        while (p is not null && p.Depth > other.Depth)
        {
            p = p.Parent;
        }

        return p is not null && p.Equals(other);
    }

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Depth != Depth)
        {
            return false;
        }

        for (ActorPath? a = this, b = other; a is not null && b is not null; a = a.Parent, b = b.Parent)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The path as text, e.g. <c>/user/routes/counter/42</c>; the root is <c>/</c>.</summary>
    public override string ToString()
    {
        if (_text is not null)
        {
            return _text;
        }

        if (Parent is null)
        {
            return _text = "/";
        }

        // Built on first use and cached: paths are created per actor, rendered only for logs and events.
        var builder = new StringBuilder();
        Append(builder, this);
        return _text = builder.ToString();

        static void Append(StringBuilder sb, ActorPath p)
        {
            if (p.Parent is null)
            {
                return;
            }

            Append(sb, p.Parent);
            sb.Append('/').Append(p.Name);
        }
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);
}
