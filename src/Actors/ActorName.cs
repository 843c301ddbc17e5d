namespace ActorHost.Actors;

/// <summary>Rules for actor names (one element of an <see cref="ActorPath"/>).</summary>
internal static class ActorName
{
    /// <summary>
    /// Throws <see cref="InvalidActorNameException"/> unless <paramref name="name"/> is a usable name:
    /// non-empty, no '/', no whitespace or control characters; names starting with '$' are reserved for
    /// names the runtime generates (allowed only when <paramref name="allowReserved"/>).
    /// </summary>
    public static void Validate(string? name, bool allowReserved)
    {
        if (name is null)
        {
            throw new InvalidActorNameException("Actor name must not be null.");
        }

        if (name.Length == 0)
        {
            throw new InvalidActorNameException("Actor name must not be empty.");
        }

        if (!allowReserved && name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name \"{name}\" is invalid: names starting with '$' are reserved for generated names.");
        }

        foreach (var c in name)
        {
            if (c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new InvalidActorNameException($"Actor name \"{name}\" is invalid: it must not contain '/', whitespace or control characters.");
            }
        }
    }
}
