using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActorHost.Cluster.Coordination;

/// <summary>
/// LISTENs on the cluster channel on a dedicated connection and calls back on every notification from another
/// node, so changes propagate in one round trip instead of one heartbeat. Reconnects after failures (calling
/// back once connected, since notifications sent meanwhile were lost); polling covers the gap.
/// </summary>
internal sealed class ChangeListener : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ClusterSchema _schema;
    private readonly string _self;
    private readonly Action _onChange;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public ChangeListener(NpgsqlDataSource dataSource, ClusterSchema schema, string self, Action onChange, TimeSpan retryDelay, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _schema = schema;
        _self = self;
        _onChange = onChange;
        _retryDelay = retryDelay;
        _time = time;
        _logger = logger;
    }

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != _self)
                    {
                        _onChange();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_schema.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                ClusterLog.ListenerConnected(_logger, _schema.Channel);
                _onChange();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                ClusterLog.ListenerFailed(_logger, e);
            }

            try
            {
                // A retry back-off, not synchronisation: the heartbeat loop keeps the node current meanwhile.
                await Task.Delay(_retryDelay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
