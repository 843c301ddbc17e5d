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

    private static Func<string, Exception> Build(Type type)
    {
        if (type.GetConstructor([typeof(string)]) is { } withMessage)
        {
            ConstructorInvoker invoker = ConstructorInvoker.Create(withMessage);
            return message => (Exception)invoker.Invoke(message);
        }

        // The rule validator admits only types with a (string) or a parameterless constructor.
        ConstructorInvoker plain = ConstructorInvoker.Create(type.GetConstructor(Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{type.FullName} has neither a (string) nor a parameterless constructor."));
        return _ => (Exception)plain.Invoke();
    }
}
