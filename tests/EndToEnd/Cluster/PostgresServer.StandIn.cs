using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ActorHost.EndToEnd.Cluster;

// TEMPORARY stand-in with the API described for tests/Cluster.Tests/Postgres/PostgresServer.cs, so the cluster
// end-to-end tests compile and run before that file lands; replaced by a <Compile Include> link to it then.

/// <summary>A throw-away PostgreSQL server: initdb in a temp directory, pg_ctl on a free loopback port, unprivileged.</summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string RunAs = "postgres";
    private readonly string _bin;
    private readonly string _dataDirectory;
    private int _databases;

    private PostgresServer(string bin, string dataDirectory, int port)
    {
        _bin = bin;
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartNewAsync()
    {
        string bin = FindBinaries();
        string data = Directory.CreateTempSubdirectory("actorhost-pg-").FullName;
        var server = new PostgresServer(bin, data, FreePort.Next());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", $"{RunAs}:", data);
        }

        await server.PgAsync("initdb", "-D", Path.Combine(data, "db"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        await server.StartAsync();
        return server;
    }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Timeout=3;Command Timeout=5";

    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public Task StartAsync() => PgAsync("pg_ctl", "-D", Path.Combine(_dataDirectory, "db"), "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "30",
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    public Task StopAsync() => PgAsync("pg_ctl", "-D", Path.Combine(_dataDirectory, "db"), "-m", "immediate", "-w", "-t", "30", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "-D", Path.Combine(_dataDirectory, "db"), "-m", "immediate", "-w", "-t", "30", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task PgAsync(string tool, params string[] args)
    {
        string path = Path.Combine(_bin, tool);
        return Environment.UserName == "root" ? RunAsync("runuser", ["-u", RunAs, "--", path, .. args]) : RunAsync(path, args);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    private static string FindBinaries()
    {
        foreach (string dir in Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending() : Enumerable.Empty<string>())
        {
            if (File.Exists(Path.Combine(dir, "bin", "initdb")))
            {
                return Path.Combine(dir, "bin");
            }
        }

        throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql; install the postgresql package.");
    }
}
