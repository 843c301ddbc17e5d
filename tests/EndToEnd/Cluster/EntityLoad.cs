using System.Diagnostics;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// Load that keeps every key busy: one loop per key sends <c>POST /counter/{key}/increment</c> through a random
/// receiving node, one request at a time per key (so the answers of a key are ordered), with at most
/// <c>inFlight</c> requests open over all keys. Every answer is kept; tests wait on conditions over them.
/// </summary>
internal sealed class EntityLoad : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<ClusterNodeProcess> _receivers;
    private readonly Stopwatch _clock;
    private readonly SemaphoreSlim _inFlight;
    private readonly Dictionary<string, List<CounterAnswer>> _answers;
    private readonly List<(Func<EntityLoad, bool> Condition, TaskCompletionSource Met)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    private EntityLoad(HttpClient http, IReadOnlyList<ClusterNodeProcess> receivers, IReadOnlyList<string> keys, Stopwatch clock, int inFlight)
    {
        _http = http;
        _receivers = receivers;
        _clock = clock;
        _inFlight = new SemaphoreSlim(inFlight);
        _answers = keys.ToDictionary(k => k, _ => new List<CounterAnswer>());
        _loops = [.. keys.Select((key, i) => Task.Run(() => LoopAsync(key, i)))];
    }

    public static EntityLoad Start(HttpClient http, IReadOnlyList<ClusterNodeProcess> receivers, IReadOnlyList<string> keys, Stopwatch clock, int inFlight = 16) =>
        new(http, receivers, keys, clock, inFlight);

    public IReadOnlyCollection<string> Keys => _answers.Keys;

    public IReadOnlyList<CounterAnswer> All
    {
        get { lock (_gate) { return [.. _answers.Values.SelectMany(a => a).OrderBy(a => a.Sent)]; } }
    }

    public IReadOnlyList<CounterAnswer> AnswersOf(string key)
    {
        lock (_gate)
        {
            return [.. _answers[key]];
        }
    }

    /// <summary>How many 200s <paramref name="key"/> got for requests sent at or after <paramref name="since"/>.</summary>
    public int OkSince(string key, TimeSpan since)
    {
        lock (_gate)
        {
            return _answers[key].Count(a => a.Ok && a.Sent >= since);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checked after every answer; the timeout is a failure guard.</summary>
    public async Task WaitUntilAsync(Func<EntityLoad, bool> condition, string what, TimeSpan timeout)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, met));
        }

        try
        {
            await met.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"load: {what} not within {timeout.TotalSeconds:F0}s; {All.Count} answers so far, last: {string.Join("; ", All.TakeLast(5))}");
        }
    }

    /// <summary>Waits until every key has at least <paramref name="count"/> 200s for requests sent at or after <paramref name="since"/>.</summary>
    public Task WaitForEveryKeyAsync(int count, TimeSpan since, string what, TimeSpan timeout) =>
        WaitUntilAsync(load => load.Keys.All(k => load.OkSince(k, since) >= count), what, timeout);

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _inFlight.Dispose();
    }

    private async Task LoopAsync(string key, int index)
    {
        var random = new Random(index);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _inFlight.WaitAsync(_stop.Token);
                CounterAnswer answer;
                try
                {
                    ClusterNodeProcess receiver = _receivers[random.Next(_receivers.Count)];
                    answer = await CounterClient.IncrementAsync(_http, receiver, key, _clock);
                }
                finally
                {
                    _inFlight.Release();
                }

                Record(answer);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Record(CounterAnswer answer)
    {
        lock (_gate)
        {
            _answers[answer.Key].Add(answer);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(this))
                {
                    _waiters[i].Met.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
