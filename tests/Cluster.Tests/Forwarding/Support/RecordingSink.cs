using System.Text;
using ActorHost.Workers;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>
/// An in-memory <see cref="IResponseSink"/> that records what a client would have received, in order:
/// the start (status, headers), every write and every flush, and how the response ended.
/// </summary>
public sealed class RecordingSink : IResponseSink
{
    private readonly Lock _gate = new();
    private readonly List<byte> _body = [];
    private readonly List<string> _steps = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    public int? Status { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; } = [];

    public bool Completed { get; private set; }

    public bool Aborted { get; private set; }

    /// <summary>"start 200", "write N", "flush", "complete", "abort" in the order they happened.</summary>
    public IReadOnlyList<string> Steps
    {
        get
        {
            lock (_gate)
            {
                return [.. _steps];
            }
        }
    }

    public byte[] Body
    {
        get
        {
            lock (_gate)
            {
                return [.. _body];
            }
        }
    }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    /// <summary>Completes once the body received so far contains <paramref name="text"/> and was flushed.</summary>
    public Task WhenFlushedContaining(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_steps.Count > 0 && _steps[^1] == "flush" && Encoding.UTF8.GetString([.. _body]).Contains(text, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
            else
            {
                _awaited.Add((text, seen));
            }
        }

        return seen.Task;
    }

    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Status is not null)
            {
                throw new InvalidOperationException("Started twice.");
            }

            Status = statusCode;
            Headers = [.. headers];
            _steps.Add($"start {statusCode}");
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Completed || Aborted)
            {
                throw new InvalidOperationException("Write after the end.");
            }

            _body.AddRange(data.Span);
            _steps.Add($"write {data.Length}");
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        List<TaskCompletionSource> release = [];
        lock (_gate)
        {
            _steps.Add("flush");
            string body = Encoding.UTF8.GetString([.. _body]);
            for (int i = _awaited.Count - 1; i >= 0; i--)
            {
                if (body.Contains(_awaited[i].Text, StringComparison.Ordinal))
                {
                    release.Add(_awaited[i].Seen);
                    _awaited.RemoveAt(i);
                }
            }
        }

        foreach (TaskCompletionSource seen in release)
        {
            seen.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync()
    {
        lock (_gate)
        {
            Completed = true;
            _steps.Add("complete");
        }

        return ValueTask.CompletedTask;
    }

    public void Abort()
    {
        lock (_gate)
        {
            Aborted = true;
            _steps.Add("abort");
        }
    }
}
