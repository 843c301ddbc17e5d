using System.Text;

namespace ActorHost.Workers.Tests.Support;

/// <summary>An in-memory response: records what a client would have received.</summary>
public sealed class MemorySink : IResponseSink
{
    private readonly Lock _gate = new();
    private readonly List<byte> _body = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every write throws this (a peer reset).</summary>
    public Exception? WriteFailure { get; set; }

    /// <summary>When set, a write waits for this before it returns.</summary>
    public Task? WriteGate { get; set; }

    public int? Status { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; } = [];

    public bool Completed { get; private set; }

    public bool Aborted { get; private set; }

    public int Flushes { get; private set; }

    public Task Started => _started.Task;

    public Task Ended => _ended.Task;

    public Task FirstWrite => _firstWrite.Task;

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public byte[] Body
    {
        get { lock (_gate) { return _body.ToArray(); } }
    }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Status is not null)
            {
                throw new InvalidOperationException("Started twice.");
            }

            Status = statusCode;
            Headers = headers;
        }

        _started.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _firstWrite.TrySetResult();
        if (WriteGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (WriteFailure is { } failure)
        {
            throw failure;
        }

        lock (_gate)
        {
            if (Completed || Aborted)
            {
                throw new InvalidOperationException("Write after the end.");
            }

            _body.AddRange(data.Span);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Flushes++;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync()
    {
        lock (_gate)
        {
            Completed = true;
        }

        _ended.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public void Abort()
    {
        lock (_gate)
        {
            Aborted = true;
        }

        _ended.TrySetResult();
    }
}
