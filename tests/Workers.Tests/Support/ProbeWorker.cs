using System.Text.Json;

namespace ActorHost.Workers.Tests.Support;

/// <summary>
/// A worker whose behaviour each request chooses with the query parameter <c>do</c>; it counts requests in
/// a field (so a restart visibly resets state) and reports what it did to the <see cref="Journal"/>.
/// </summary>
public sealed class ProbeWorker : RequestWorker, IDisposable
{
    private static int s_instances;
    private readonly Journal _journal;
    private readonly Gates _gates;
    private readonly int _instance;
    private readonly string? _key;
    private readonly string _path;
    private readonly int _incarnation;
    private int _count;

    public ProbeWorker(Journal journal, Gates gates, WorkerContext context)
    {
        _journal = journal;
        _gates = gates;
        _instance = Interlocked.Increment(ref s_instances);
        _key = context.EntityKey;
        _path = context.Path;
        _incarnation = context.Incarnation;
        gates.Instances[context] = new WeakReference(this);
        journal.Write($"constructed {context.Path} {context.Incarnation}");
    }

    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        _count++;
        _gates.Contexts[request.RequestId] = Context;
        string action = request.QueryValue("do") ?? "ok";
        string gate = request.QueryValue("gate") ?? request.RequestId;
        _journal.Write($"handling {request.RequestId} {Context.Path} {Context.Incarnation}");
        switch (action)
        {
            case "ok":
                break;
            case "throw":
                throw request.QueryValue("ex") switch
                {
                    "format" => new FormatException("bad format"),
                    "argument" => new ArgumentException("bad argument"),
                    "timeout" => new TimeoutException("slow dependency"),
                    _ => new InvalidOperationException("worker failure"),
                };
            case "client-error":
                throw new ClientInputException(422, "unprocessable");
            case "status":
                response.StatusCode = int.Parse(request.QueryValue("status")!, System.Globalization.CultureInfo.InvariantCulture);
                return;
            case "write-throw":
                await response.WriteAsync("partial", cancellationToken);
                await response.FlushAsync(cancellationToken);
                throw new InvalidOperationException("failed after start");
            case "write-client-error":
                await response.WriteAsync("partial", cancellationToken);
                throw new ClientInputException(400, "too late to say so");
            case "wait":
                _gates.Open("entered:" + gate);
                await _gates.WhenOpen(gate).WaitAsync(cancellationToken);
                break;
            case "until-shutdown":
                // An endless response in miniature: runs until its shutdown token fires, then answers.
                _gates.Open("entered:" + gate);
                await Task.Delay(Timeout.Infinite, Context.ShutdownToken).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case "wait-then-throw":
                _gates.Open("entered:" + gate);
                await _gates.WhenOpen(gate);
                throw new InvalidOperationException("failed after the client left");
            case "hang":
                // Ignores its token completely.
                _gates.Open("entered:" + gate);
                await _gates.WhenOpen(gate);
                break;
            case "own-timeout":
                using (var own = new CancellationTokenSource())
                {
                    await own.CancelAsync();
                    own.Token.ThrowIfCancellationRequested();
                }

                break;
            case "write-forever":
                _gates.Open("entered:" + gate);
                while (true)
                {
                    await response.WriteAsync("x", cancellationToken);
                    await Task.Yield();
                }

            case "bytes":
                int n = int.Parse(request.QueryValue("n")!, System.Globalization.CultureInfo.InvariantCulture);
                await response.WriteAsync(new byte[n], cancellationToken);
                return;
            default:
                throw new ClientInputException(400, "unknown probe action " + action);
        }

        await response.WriteJsonAsync(new ProbeReply(_count, Context.Incarnation, _instance, Context.Path), cancellationToken);
    }

    protected override void OnStarted() => _journal.Write($"started {_path} {_incarnation}");

    protected override void OnStopped()
    {
        // Entities whose key starts with "slowstop" hold their stop until the test releases them.
        if (_key?.StartsWith("slowstop", StringComparison.Ordinal) == true)
        {
            _journal.Write($"stopping {_path} {_incarnation}");
            _gates.WhenOpen("release-stop:" + _key).Wait(Harness.Guard);
        }

        _journal.Write($"stopped {_path} {_incarnation}");
    }

    public void Dispose() => _journal.Write($"disposed {_instance}");

    public static ProbeReply Parse(string json) => JsonSerializer.Deserialize<ProbeReply>(json, JsonSerializerOptions.Web)!;
}

/// <summary>What <see cref="ProbeWorker"/> answers.</summary>
public sealed record ProbeReply(int Count, int Incarnation, int Instance, string Path);
