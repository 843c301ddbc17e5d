using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ActorHost.Gateway.Logging;

/// <summary>
/// Renders an exception exactly as <see cref="Exception.ToString"/> does, remembering the stack-trace part by the
/// frames it is made of, so a failure storm of one kind renders its stack trace once rather than per failure.
/// </summary>
/// <remarks>
/// <para>
/// Why: rendering a stack trace resolves every frame through reflection. For a frame in an async method the runtime
/// looks for the method whose state machine it is among all the methods of its type, checking each one's attributes;
/// on this machine that is about 50 µs for a single async frame and far more than the rest of a failed request. Reading
/// the frames themselves (method and IL offset, no file information) is a few µs.
/// </para>
/// <para>
/// Only what the frames fully determine is reused: the type name and message are read from each exception. The cache
/// is not used (the exception renders itself) for an exception whose type overrides <see cref="Exception.ToString"/>
/// or <see cref="Exception.StackTrace"/>, that has an inner exception, that was never thrown, or that carries a remote
/// stack trace; nor at all when the runtime does not have the internals it reads (a future version).
/// </para>
/// </remarks>
internal sealed class ExceptionText
{
    /// <summary>Distinct stack traces kept; past this, new ones are rendered each time (the table stays bounded).</summary>
    public const int MaxTraces = 512;

    private readonly ConcurrentDictionary<FrameKey, string> _traces = new();
    private readonly int _maxTraces;
    private readonly ConcurrentDictionary<Type, bool> _rendersItself = new();

    // The table's size, kept apart: ConcurrentDictionary.Count takes every lock.
    private int _count;
    private long _hits;
    private volatile bool _unsupported;

    /// <summary>Creates a renderer keeping at most <paramref name="maxTraces"/> stack traces.</summary>
    /// <param name="maxTraces">The bound of the table (tests use small ones).</param>
    internal ExceptionText(int maxTraces = MaxTraces)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTraces);
        _maxTraces = maxTraces;
    }

    /// <summary>The process-wide instance the console logger uses.</summary>
    public static ExceptionText Shared { get; } = new();

    /// <summary>How many renderings took their stack trace from the cache (for tests).</summary>
    internal long Hits => Interlocked.Read(ref _hits);

    /// <summary>The text of <see cref="Exception.ToString"/> for <paramref name="exception"/>.</summary>
    public string Render(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (_unsupported || exception.InnerException is not null || RendersItself(exception.GetType()))
        {
            return exception.ToString();
        }

        FrameKey? key;
        try
        {
            if (RemoteStackTrace(exception) is not null)
            {
                return exception.ToString();
            }

            key = FrameKey.Of(exception);
        }
        catch (MissingMemberException)
        {
            // The runtime's internals moved: render as the exception does, from now on without trying.
            _unsupported = true;
            return exception.ToString();
        }

        if (key is null)
        {
            return exception.ToString();
        }

        if (_traces.TryGetValue(key, out string? trace))
        {
            Interlocked.Increment(ref _hits);
        }
        else
        {
            trace = exception.StackTrace;
            if (trace is null)
            {
                return exception.ToString();
            }

            if (Volatile.Read(ref _count) < _maxTraces && _traces.TryAdd(key, trace))
            {
                Interlocked.Increment(ref _count);
            }
        }

        // Exception.ToString's layout for an exception without an inner one: "Type: Message", then the trace.
        string message = exception.Message;
        string type = exception.GetType().ToString();
        return string.IsNullOrEmpty(message)
            ? string.Concat(type, Environment.NewLine, trace)
            : string.Concat(type, ": ", message, Environment.NewLine, trace);
    }

    private bool RendersItself(Type type) => _rendersItself.GetOrAdd(type, static t =>
        t.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType != typeof(Exception) ||
        t.GetProperty(nameof(Exception.StackTrace))?.GetMethod?.DeclaringType != typeof(Exception));

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_remoteStackTraceString")]
    private static extern ref string? RemoteStackTrace(Exception exception);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_IsLastFrameFromForeignExceptionStackTrace")]
    private static extern bool IsLastFrameFromForeignExceptionStackTrace(StackFrame frame);

    /// <summary>What a rendered stack trace depends on: each frame's method and IL offset, and where a rethrow joined two traces.</summary>
    private sealed class FrameKey : IEquatable<FrameKey>
    {
        private readonly (MethodBase Method, int Offset, bool Boundary)[] _frames;
        private readonly int _hash;

        private FrameKey((MethodBase, int, bool)[] frames)
        {
            _frames = frames;
            var hash = new HashCode();
            foreach ((MethodBase method, int offset, bool boundary) in frames)
            {
                hash.Add(method);
                hash.Add(offset);
                hash.Add(boundary);
            }

            _hash = hash.ToHashCode();
        }

        /// <summary>The key of a thrown exception's frames; null when it has none (never thrown).</summary>
        public static FrameKey? Of(Exception exception)
        {
            var trace = new StackTrace(exception, fNeedFileInfo: false);
            int count = trace.FrameCount;
            if (count == 0)
            {
                return null;
            }

            var frames = new (MethodBase, int, bool)[count];
            for (int i = 0; i < count; i++)
            {
                StackFrame frame = trace.GetFrame(i)!;
                // A frame without a method (rare: a native or trimmed frame) cannot be told apart: render as usual.
                if (frame.GetMethod() is not { } method)
                {
                    return null;
                }

                frames[i] = (method, frame.GetILOffset(), IsLastFrameFromForeignExceptionStackTrace(frame));
            }

            return new FrameKey(frames);
        }

        public bool Equals(FrameKey? other) =>
            other is not null && _hash == other._hash && _frames.AsSpan().SequenceEqual(other._frames);

        public override bool Equals(object? obj) => Equals(obj as FrameKey);

        public override int GetHashCode() => _hash;
    }
}
