using System.Globalization;
using System.Text.Json;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>One gateway process started as a cluster node: its own config file, internal port and stop-marker directory.</summary>
internal sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly string _logDirectory;
    private bool _logsSaved;

    private ClusterNodeProcess(string nodeId, string markerDirectory, string configPath, string logDirectory, GatewayProcess process)
    {
        NodeId = nodeId;
        MarkerDirectory = markerDirectory;
        ConfigPath = configPath;
        _logDirectory = logDirectory;
        Process = process;
    }

    public string NodeId { get; }

    /// <summary>The advertised URL (read from the "ClusterJoined" line): where the internal (h2c, signed) listener is.</summary>
    public Uri InternalUrl { get; private set; } = null!;

    /// <summary>Stopped workers leave a marker file here (<c>counter_&lt;id&gt;_&lt;incarnation&gt;.stopped</c>).</summary>
    public string MarkerDirectory { get; }

    public string ConfigPath { get; }

    public GatewayProcess Process { get; }

    public Uri Gateway { get; private set; } = null!;

    public Uri Management { get; private set; } = null!;

    /// <summary>Where this node's output is written when the test ends.</summary>
    public string LogFile => Path.Combine(_logDirectory, NodeId + ".log");

    /// <summary>Starts the process; <see cref="WaitJoinedAsync"/> waits until it listens and has joined.</summary>
    public static ClusterNodeProcess Start(string nodeId, string clusterSettings, string logDirectory)
    {
        string markers = Directory.CreateTempSubdirectory("actorhost-markers-" + nodeId + "-").FullName;
        string config = GatewayProcess.TestConfig($$"""
            actorhost {
              cluster {
                {{clusterSettings}}
                node-id = "{{nodeId}}"
                # Port 0: the node binds a free port and advertises it. A port chosen here and released before the node
                # binds it could be taken meanwhile (by any outgoing connection of the parallel test run).
                advertise-url = "http://127.0.0.1:0"
              }
              shutdown { drain-delay = 0s, grace = 5s, mercy = 1s, stop-workers = 2s }
              samples.stop-marker-dir = "{{markers}}"
              # The stream and partial samples as entities too, so that forwarding a stream and a failure after the
              # response started is tested end to end (the default configuration has only the counter as entity).
              routes {
                ticks { path = "/ticks/{id}", methods = [GET], worker = stream, mode = entity, entity-key = id, timeout = infinite, handler-mode = cancel-on-disconnect }
                cut { path = "/cut/{id}", methods = [GET], worker = partial, mode = entity, entity-key = id }
                # The slow sample as an entity with a short timeout, so that a forwarded request's timeout is tested too.
                wait { path = "/wait/{id}", methods = [GET], worker = slow, mode = entity, entity-key = id, timeout = 1s, handler-mode = cancel-on-disconnect }
              }
            }
            Logging.Console.FormatterOptions { TimestampFormat = "O", UseUtcTimestamp = true }
            """);
        return new ClusterNodeProcess(nodeId, markers, config, logDirectory, GatewayProcess.Start("--config", config));
    }

    /// <summary>Waits for the listeners and the "ClusterJoined" line; the timeout is a failure guard.</summary>
    public async Task WaitJoinedAsync(TimeSpan timeout)
    {
        try
        {
            Task<JsonElement> joined = Process.WaitForAsync(r => ClusterEvents.Is(r, ClusterEvents.Joined), timeout);
            Task<int> exited = Process.WaitForExitAsync(timeout + TimeSpan.FromSeconds(1));
            if (await Task.WhenAny(joined, exited) == exited && !joined.IsCompleted)
            {
                throw new InvalidOperationException($"{NodeId} exited with {await exited} before it joined. stderr: {Tail(Process.Stderr)} stdout: {Tail(Process.Stdout)}");
            }

            JsonElement joinedRecord = await joined;
            InternalUrl = new Uri(GatewayProcess.State(joinedRecord, "Address")!);
            Gateway = await Process.GatewayAddressAsync();
            JsonElement management = await Process.WaitForAsync(
                r => GatewayProcess.Event(r) == 104 && GatewayProcess.State(r, "Listener") == "Management API", timeout);
            Management = new Uri(GatewayProcess.State(management, "Addresses")!.Split(',')[0].Trim());
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{NodeId} did not join within {timeout.TotalSeconds:F0}s. stderr: {Tail(Process.Stderr)} stdout: {Tail(Process.Stdout)}");
        }
    }

    /// <summary>The node's records of one event id.</summary>
    public IReadOnlyList<JsonElement> RecordsOf(int eventId) => [.. Process.Records.Where(r => GatewayProcess.Event(r) == eventId)];

    public Task KillAsync() => Process.SignalAsync("KILL");

    /// <summary>Writes stdout and stderr to <see cref="LogFile"/> (once).</summary>
    public void SaveLogs()
    {
        if (_logsSaved)
        {
            return;
        }

        _logsSaved = true;
        Directory.CreateDirectory(_logDirectory);
        File.WriteAllText(LogFile, Process.Stdout + "\n--- stderr ---\n" + Process.Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        SaveLogs();
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
