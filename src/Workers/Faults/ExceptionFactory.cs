using System.Collections.Concurrent;
using System.Reflection;

namespace ActorHost.Workers.Faults;

/// <summary>
/// Builds the exceptions that fault rules name, through a constructor invoker kept for the process's life.
/// </summary>
/// <remarks>
/// <c>Activator.CreateInstance(type, message)</c> binds the constructor on every call, and the invoker it
/// finds lives in the type's reflection cache, which the runtime holds weakly: under a failure storm with a
/// small gen0 budget the cache was collected between faults, and its IL stub was emitted and JIT-compiled
/// again a few times a second.
/// </remarks>
internal static class ExceptionFactory
{
    private static readonly ConcurrentDictionary<Type, Func<string, Exception>> Factories = new();

    /// <summary>An instance of <paramref name="type"/>, with <paramref name="message"/> when it has a (string) constructor.</summary>
    public static Exception Create(Type type, string message) => Factories.GetOrAdd(type, Build)(message);

    /// <summary>
    /// The constructor a fault uses: a public (string) one for the message, else a public parameterless one; null
    /// when the type has neither or is abstract (the rule validator refuses such a type).
    /// </summary>
    public static ConstructorInfo? ConstructorOf(Type type) =>
        type.IsAbstract ? null : type.GetConstructor([typeof(string)]) ?? type.GetConstructor(Type.EmptyTypes);

    private static Func<string, Exception> Build(Type type)
    {
        ConstructorInfo constructor = ConstructorOf(type)
            ?? throw new InvalidOperationException($"{type.FullName} has neither a (string) nor a parameterless constructor.");
        ConstructorInvoker invoker = ConstructorInvoker.Create(constructor);
        return constructor.GetParameters().Length == 1
            ? message => (Exception)invoker.Invoke(message)
            : _ => (Exception)invoker.Invoke();
    }
}
