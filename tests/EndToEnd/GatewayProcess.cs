using System.Diagnostics;
using System.Text.Json;

namespace ActorHost.EndToEnd;

/// <summary>
/// The real <c>actorhost</c> executable from its build output, run as a child process with JSON console logs,
/// its stdout parsed line by line so tests can wait for a log record (no sleeps), its stderr kept.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _records = [];
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<(Func<JsonElement, bool> Match, TaskCompletionSource<JsonElement> Found)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process) => _process = process;

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The gateway's build output in the same configuration as these tests (…/src/Gateway/bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string OutputDirectory
    {
        get
        {
            string directory = Path.GetDirectoryName(typeof(GatewayProcess).Assembly.Location)!;
            string configuration = new DirectoryInfo(directory).Parent!.Name; // …/bin/<Configuration>/net10.0
            return Path.Combine(RepositoryRoot, "src", "Gateway", "bin", configuration, "net10.0");
        }
    }

    public int Id => _process.Id;

    public string Stderr
    {
        get { lock (_gate) { return string.Join('\n', _stderr); } }
    }

    public string Stdout
    {
        get { lock (_gate) { return string.Join('\n', _stdout); } }
    }

    public IReadOnlyList<JsonElement> Records
    {
        get { lock (_gate) { return [.. _records]; } }
    }

    /// <summary>Starts the executable with a test config (JSON logs, ephemeral ports) plus <paramref name="args"/>.</summary>
    public static GatewayProcess Start(params string[] args)
    {
        string output = OutputDirectory;
        string appHost = Path.Combine(output, "actorhost");
        // Through env(1), which execs the gateway in its own place (same pid) with SIGINT's default restored: a test
        // run launched in the background (`./test.sh &`, nohup) passes SIGINT on as ignored, and the runtime then
        // leaves it ignored, as it should for a background job; the gateway here must react as one in a terminal.
        var start = new ProcessStartInfo
        {
            FileName = "env",
            ArgumentList = { "--default-signal=INT" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        if (File.Exists(appHost))
        {
            start.ArgumentList.Add(appHost);
        }
        else
        {
            start.ArgumentList.Add("dotnet");
            start.ArgumentList.Add(Path.Combine(output, "actorhost.dll"));
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var gateway = new GatewayProcess(process);
        process.OutputDataReceived += (_, e) => gateway.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.OnStderr(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>A config file that makes the process log JSON and listen on ephemeral loopback ports.</summary>
    public static string TestConfig(string extra = "")
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("actorhost-e2e-").FullName, "e2e.conf");
        File.WriteAllText(path, $$"""
            actorhost {
              gateway.urls = ["http://127.0.0.1:0"]
              management.urls = ["http://127.0.0.1:0"]
              logging.format = json
            }
            {{extra}}
            """);
        return path;
    }

    /// <summary>Waits for a JSON log record matching <paramref name="match"/>; the timeout is only a failure guard.</summary>
    public Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (JsonElement record in _records)
            {
                if (match(record))
                {
                    return Task.FromResult(record);
                }
            }

            _waiters.Add((match, found));
        }

        return found.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>The gateway's base address, from its "Gateway listening on" line.</summary>
    public async Task<Uri> GatewayAddressAsync()
    {
        JsonElement line = await WaitForAsync(r => Event(r) == 104 && State(r, "Listener") == "Gateway");
        return new Uri(State(line, "Addresses")!.Split(',')[0].Trim());
    }

    /// <summary>Waits for the process to exit and for its output to be read to the end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var guard = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(guard.Token);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(guard.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal to the process (SIGTERM by default), as a supervisor would.</summary>
    public async Task SignalAsync(string signal = "TERM")
    {
        using Process kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    public static int Event(JsonElement record) => record.TryGetProperty("EventId", out JsonElement id) ? id.GetInt32() : -1;

    public static string? State(JsonElement record, string field) =>
        record.TryGetProperty("State", out JsonElement state) && state.TryGetProperty(field, out JsonElement value) ? value.ToString() : null;

    public static string? Field(JsonElement record, string field) =>
        record.TryGetProperty(field, out JsonElement value) ? value.ToString() : null;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _stdout.Add(line);
            if (!line.StartsWith('{'))
            {
                return;
            }

            JsonElement record;
            try
            {
                record = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                return;
            }

            _records.Add(record);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(record))
                {
                    _waiters[i].Found.TrySetResult(record);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _stderrClosed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _stderr.Add(line);
        }
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with ActorHost.sln) was not found above " + AppContext.BaseDirectory);
    }
}
