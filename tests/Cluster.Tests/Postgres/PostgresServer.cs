using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace ActorHost.Cluster.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for tests: <c>initdb</c> in a fresh temporary directory (trust auth, user
/// <c>postgres</c>), <c>pg_ctl start</c> on a free loopback port with durability switched off for speed, and
/// everything deleted on dispose. When the tests run as root (CI) every PostgreSQL command runs as the
/// unprivileged user <c>nobody</c>, since the server refuses to run as root. Self-contained on purpose (no
/// test framework types) so other test projects can link this file.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const int Nobody = 65534;
    private readonly string _bin;
    private readonly string[] _asUser;
    private int _databases;
    private bool _disposed;

    private PostgresServer(string bin, string[] asUser, string root, int port)
    {
        _bin = bin;
        _asUser = asUser;
        RootDirectory = root;
        Port = port;
    }

    /// <summary>The temporary directory holding the data directory, the log and the unix socket.</summary>
    public string RootDirectory { get; }

    /// <summary>The loopback TCP port the server listens on (kept across <see cref="StopAsync"/>/<see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>True while the server is started.</summary>
    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    private string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>Finds the binaries, runs initdb and starts a new server.</summary>
    /// <param name="cancellationToken">Gives up.</param>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        string bin = FindBinaries();
        string[] asUser = Environment.IsPrivilegedProcess ? UnprivilegedPrefix() : [];
        DirectoryInfo root = Directory.CreateTempSubdirectory("actorhost-pg-");
        var server = new PostgresServer(bin, asUser, root.FullName, FreePort());
        try
        {
            if (asUser.Length > 0)
            {
                await RunAsync("chown", [string.Create(CultureInfo.InvariantCulture, $"{Nobody}:{Nobody}"), root.FullName], root.FullName, cancellationToken);
            }

            await server.PostgresAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken);
            // The port was free when chosen, but released before the server binds it; in a parallel test run an
            // outgoing connection may take it meanwhile. Then another one is chosen (the data directory stays).
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartAsync(cancellationToken);
                    return server;
                }
                catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                    server.Port = FreePort();
                    File.Delete(server.LogFile);
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Appended to a connection string for the tests' own reads and writes: one unpooled connection each, with a
    /// long connect timeout. Npgsql times a connect on the wall clock, which jumps forward when this VM is paused
    /// and resumed (a snapshot showed up in a test run as 38 s of wall time in 2 s of stopwatch time, and a fresh
    /// connection then "timed out" at once). Cluster nodes keep their own settings: how they live through such a
    /// jump is theirs to show.
    /// </summary>
    public const string HelperConnectionSettings = ";Pooling=false;Timeout=120";

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    /// <param name="database">The database name.</param>
    public string ConnectionString(string database = "postgres") =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true");

    /// <summary>Creates a fresh, empty database (one per test keeps tests independent); returns its connection string.</summary>
    /// <param name="cancellationToken">Gives up.</param>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}")[..30];
        await using var connection = new NpgsqlConnection(ConnectionString() + HelperConnectionSettings);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>
    /// Stops the server for an outage test: every client connection is cut at once (<c>pg_ctl stop -m fast</c>).
    /// Not <c>immediate</c>: with <c>synchronous_commit=off</c> that would also lose the last commits, and a
    /// real database does not forget a lease it granted.
    /// </summary>
    /// <param name="cancellationToken">Gives up.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await PostgresAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"], cancellationToken);
        IsRunning = false;
    }

    /// <summary>Starts the server (again) on the same data directory and port.</summary>
    /// <param name="cancellationToken">Gives up.</param>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        string options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={RootDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        try
        {
            await PostgresAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options], cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nserver log:\n{ReadLog()}", e);
        }

        IsRunning = true;
    }

    /// <summary>Stops the server (immediately) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await PostgresAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }

        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
        }
        catch (IOException)
        {
            return "(log unreadable)";
        }
    }

    private Task PostgresAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string exe = Path.Combine(_bin, tool);
        return _asUser.Length == 0
            ? RunAsync(exe, arguments, RootDirectory, cancellationToken)
            : RunAsync(_asUser[0], [.. _asUser.Skip(1), exe, .. arguments], RootDirectory, cancellationToken);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The server must not inherit a HOME it cannot read, nor locale settings initdb would try to use.
        start.Environment["LC_ALL"] = "C";
        start.Environment["HOME"] = workingDirectory;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        string output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            var message = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n")
                .Append(output);
            throw new InvalidOperationException(message.ToString());
        }
    }

    /// <summary>The directory holding initdb, pg_ctl and postgres: PATH first, then the highest /usr/lib/postgresql/*/bin.</summary>
    private static string FindBinaries()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "pg_ctl");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir, "initdb")))
            {
                // Debian links pg_ctl into /usr/bin or /usr/local/bin; the real directory also holds postgres.
                string real = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
                string realDir = Path.GetDirectoryName(real)!;
                if (File.Exists(Path.Combine(realDir, "postgres")) && File.Exists(Path.Combine(realDir, "initdb")))
                {
                    return realDir;
                }
            }
        }

        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            string? best = Directory.GetDirectories(Debian)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
            if (best is not null)
            {
                return best;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin: " +
            "install the postgresql package; ./test.sh does.");
    }

    /// <summary>How to run a command as <c>nobody</c>: setpriv when present, else runuser.</summary>
    private static string[] UnprivilegedPrefix()
    {
        foreach (string dir in new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" })
        {
            string setpriv = Path.Combine(dir, "setpriv");
            if (File.Exists(setpriv))
            {
                return [setpriv, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--"];
            }
        }

        foreach (string dir in new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" })
        {
            string runuser = Path.Combine(dir, "runuser");
            if (File.Exists(runuser))
            {
                return [runuser, "-u", "nobody", "--"];
            }
        }

        throw new InvalidOperationException("Running as root, but neither setpriv nor runuser was found to start PostgreSQL as an unprivileged user (it refuses to run as root).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
