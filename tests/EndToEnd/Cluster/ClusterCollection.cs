using ActorHost.Cluster.Tests.Postgres;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// The cluster end-to-end tests share one PostgreSQL server (each test gets its own database) and run one at a
/// time, alone: each starts several gateway processes, which is all a 2-core machine can take.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Cluster";
}

/// <summary>The collection's PostgreSQL server, started once for every cluster test.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    internal PostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture has not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
