using System.Text;

namespace ActorHost.Gateway.Logging;

/// <summary>
/// Collects formatted log text and writes it to stdout / stderr in batches, from one background thread.
/// </summary>
/// <remarks>
/// Why: ASP.NET's console logger hands every line to its own thread, which wakes for it and writes it with one
/// system call. In a failure storm that meant several context switches per failed request (measured on the
/// sample counter with 10% failures: 0.33 extra switches per request on the logger's thread and about as
/// many on the thread pool, against 1.2 per request without failures). Here the first line into an empty
/// batch wakes the thread, which waits <see cref="FlushInterval"/> for more and writes all of them at once.
/// Lines keep their order; nothing is dropped: past <see cref="MaxPendingChars"/> the logging thread writes
/// the batch itself, so a logger that cannot keep up slows its callers instead of growing without bound.
/// </remarks>
internal sealed class BatchedConsoleWriter : IDisposable
{
    /// <summary>How long the writer waits after the first line of a batch before writing it.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Characters held (both streams) before a logging thread writes the batch itself.</summary>
    public const int MaxPendingChars = 1 << 20;

    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(1.5);

    // Buffered writers that encode a batch's chunks as UTF-8 (no BOM), written out on each flush. Never disposed:
    // that would close stdout, and lines that arrive after Dispose still go through them.
    private readonly StreamWriter _stdout;
    private readonly StreamWriter _stderr;
    private readonly Lock _gate = new();
    private readonly Lock _flushGate = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly ManualResetEventSlim _stopping = new(false);
    private readonly Thread _thread;
    private StringBuilder _pendingOut = new();
    private StringBuilder _pendingErr = new();
    private StringBuilder _writingOut = new();
    private StringBuilder _writingErr = new();
    private bool _disposed;

    public BatchedConsoleWriter(Stream stdout, Stream stderr)
    {
        _stdout = new StreamWriter(stdout, new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
        _stderr = new StreamWriter(stderr, new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
        _thread = new Thread(Run) { IsBackground = true, Name = "Console log writer" };
        _thread.Start();
    }

    /// <summary>Queues formatted text (one or more whole lines).</summary>
    public void Append(StringBuilder text, bool toStandardError)
    {
        bool full = false;
        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
            if (!disposed)
            {
                bool first = _pendingOut.Length == 0 && _pendingErr.Length == 0;
                (toStandardError ? _pendingErr : _pendingOut).Append(text);
                full = _pendingOut.Length + _pendingErr.Length >= MaxPendingChars;
                if (first && !full)
                {
                    // Under the lock, so that Dispose (which sets _disposed under it) never disposes the event
                    // between this check and the signal. At most once per batch.
                    _wake.Set();
                }
            }
        }

        if (disposed)
        {
            // After shutdown (a late line from a stopping component): written at once, after anything queued.
            lock (_flushGate)
            {
                FlushUnderFlushGate();
                Write(text, toStandardError ? _stderr : _stdout);
            }
        }
        else if (full)
        {
            Flush();
        }
    }

    /// <summary>Writes everything queued so far.</summary>
    public void Flush()
    {
        // One flush at a time, and the swap inside it: batches reach the streams in the order they were taken.
        lock (_flushGate)
        {
            FlushUnderFlushGate();
        }
    }

    /// <summary>Writes what is queued and stops the thread; later lines are written at once.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stopping.Set();
        _wake.Set();

        // Bounded, as ASP.NET's console logger bounds its own: a reader that stopped reading stdout must not keep
        // the process from exiting (the escalation exit disposes the providers first). A writer stuck in a write
        // keeps its handles.
        if (!_thread.Join(DisposeBound))
        {
            return;
        }

        Flush();
        _wake.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        while (!_stopping.IsSet)
        {
            _wake.WaitOne();

            // The batching delay; it ends early when the writer is disposed.
            _stopping.Wait(FlushInterval);
            Flush();
        }
    }

    private void FlushUnderFlushGate()
    {
        lock (_gate)
        {
            (_pendingOut, _writingOut) = (_writingOut, _pendingOut);
            (_pendingErr, _writingErr) = (_writingErr, _pendingErr);
        }

        Write(_writingErr, _stderr);
        Write(_writingOut, _stdout);
        _writingErr = Emptied(_writingErr);
        _writingOut = Emptied(_writingOut);
    }

    // A burst of log lines should not keep its buffers for the life of the process.
    private static StringBuilder Emptied(StringBuilder written) =>
        written.Capacity > MaxPendingChars / 4 ? new StringBuilder() : written.Clear();

    private static void Write(StringBuilder text, StreamWriter stream)
    {
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            stream.Write(text);
            stream.Flush();
        }
        catch (IOException)
        {
            // stdout closed (the reading side went away): there is nowhere left to say so.
        }
    }
}
