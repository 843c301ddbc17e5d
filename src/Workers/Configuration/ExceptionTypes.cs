using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ActorHost.Workers.Configuration;

/// <summary>Resolves exception type names from configuration (decider rules, fault rules).</summary>
public static class ExceptionTypes
{
    private static readonly ConcurrentDictionary<string, Type?> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Finds the exception type with full name <paramref name="name"/> (or an assembly-qualified name) among
    /// the loaded assemblies.
    /// </summary>
    /// <param name="name">E.g. <c>System.FormatException</c>.</param>
    /// <param name="type">The type, when found and derived from <see cref="Exception"/>.</param>
    /// <param name="problem">Why not, otherwise.</param>
    public static bool TryResolve(string name, [NotNullWhen(true)] out Type? type, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        type = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            problem = "an exception type name is required";
            return false;
        }

        Type? found = Find(name.Trim());
        if (found is null)
        {
            problem = $"no loaded type is named \"{name}\" (use the full name, e.g. System.FormatException)";
            return false;
        }

        if (!typeof(Exception).IsAssignableFrom(found))
        {
            problem = $"\"{name}\" is not an exception type (it does not derive from System.Exception)";
            return false;
        }

        type = found;
        problem = null;
        return true;
    }

    private static Type? Find(string name)
    {
        if (Cache.TryGetValue(name, out Type? cached) && cached is not null)
        {
            return cached;
        }

        // Not-found results are not cached: an assembly loaded later may supply the type.
        Type? type = SafeGetType(name) ?? AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .Select(a => SafeGetType(a, name))
            .FirstOrDefault(t => t is not null);
        if (type is not null)
        {
            Cache[name] = type;
        }

        return type;
    }

    private static Type? SafeGetType(string name)
    {
        try
        {
            return Type.GetType(name, throwOnError: false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }
    }

    private static Type? SafeGetType(System.Reflection.Assembly assembly, string name)
    {
        try
        {
            return assembly.GetType(name, throwOnError: false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }
    }
}
