using System.Globalization;
using Npgsql;

namespace ActorHost.Cluster.Coordination;

/// <summary>
/// The cluster's tables in <c>options.Schema</c>: <c>members</c> (one row per live or recently seen node, with
/// the instance id of the process that registered last under that node id) and <c>shards</c> (one lease row per
/// shard: owner node and process instance, fencing epoch, lease end on the database clock).
/// Also owns the quoted names every statement uses, so the schema name is validated in one place.
/// </summary>
internal sealed class ClusterSchema
{
    // Any constant works; it only has to be the same for every node so concurrent first starts queue up.
    private const long DdlLockKey = 0x4163_746F_7248_6F73; // "ActorHos"

    public ClusterSchema(string schema)
    {
        if (!ClusterOptionsBinder.IsSchemaName(schema))
        {
            throw new ArgumentException($"\"{schema}\" is not a valid cluster schema name (letters, digits, '_').", nameof(schema));
        }

        Name = schema;
        Members = $"\"{schema}\".members";
        Shards = $"\"{schema}\".shards";
        Channel = schema + "_cluster";
    }

    /// <summary>The schema name.</summary>
    public string Name { get; }

    /// <summary>The quoted members table.</summary>
    public string Members { get; }

    /// <summary>The quoted shards table.</summary>
    public string Shards { get; }

    /// <summary>The LISTEN/NOTIFY channel (<c>&lt;schema&gt;_cluster</c>), unquoted as <c>pg_notify</c> takes it.</summary>
    public string Channel { get; }

    /// <summary>
    /// Creates the schema, the tables and the shard rows when missing, under a transaction-scoped advisory
    /// lock so that nodes starting at the same moment do not race on CREATE (which is not concurrency-safe
    /// even with IF NOT EXISTS). Tables made by an earlier version get the instance columns added. Fails when the
    /// table holds a different number of shards than configured.
    /// </summary>
    public async Task EnsureAsync(NpgsqlDataSource dataSource, int numberOfShards, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        string sql = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT pg_advisory_xact_lock({DdlLockKey});
            CREATE SCHEMA IF NOT EXISTS "{Name}";
            CREATE TABLE IF NOT EXISTS {Members} (
                node_id      text PRIMARY KEY,
                address      text NOT NULL,
                started_at   timestamptz NOT NULL,
                status       text NOT NULL CHECK (status IN ('joining', 'up', 'leaving')),
                heartbeat_at timestamptz NOT NULL,
                instance     text NOT NULL DEFAULT ''
            );
            CREATE TABLE IF NOT EXISTS {Shards} (
                shard       integer PRIMARY KEY,
                owner       text NULL,
                epoch       bigint NOT NULL DEFAULT 0,
                lease_until timestamptz NULL,
                owner_instance text NULL
            );
            """);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await UpgradeAsync(connection, transaction, cancellationToken);

        await using (var count = new NpgsqlCommand($"SELECT count(*), coalesce(max(shard), -1) FROM {Shards}", connection, transaction))
        await using (NpgsqlDataReader reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            long rows = reader.GetInt64(0);
            int max = reader.GetInt32(1);
            if (rows != 0 && (rows != numberOfShards || max != numberOfShards - 1))
            {
                throw new ClusterConfigurationException(
                    $"number-of-shards mismatch: the table {Shards} holds {rows} shards but this node is configured with {numberOfShards}. " +
                    "Every node of a cluster must use the same number-of-shards, and it must never change for an existing schema.");
            }
        }

        // First start of the cluster (the advisory lock makes "first" unambiguous): one lease row per shard.
        await using (var insert = new NpgsqlCommand(
            string.Create(CultureInfo.InvariantCulture, $"INSERT INTO {Shards} (shard) SELECT g FROM generate_series(0, {numberOfShards - 1}) AS g ON CONFLICT (shard) DO NOTHING"),
            connection, transaction))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Adds the instance columns to tables made by a version that had none. ALTER TABLE takes an ACCESS EXCLUSIVE
    /// lock even when its IF NOT EXISTS finds the column already there, so it runs only when a column is really
    /// missing: a node joining a running cluster must not queue behind, or deadlock with, the live nodes'
    /// heartbeats and renewals (which read both tables). The advisory lock held by the caller makes the
    /// check-then-alter safe against another node starting at the same moment.
    /// </summary>
    private async Task UpgradeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string MissingColumns = """
            SELECT count(*) FILTER (WHERE table_name = 'members' AND column_name = 'instance') = 0,
                   count(*) FILTER (WHERE table_name = 'shards' AND column_name = 'owner_instance') = 0
            FROM information_schema.columns
            WHERE table_schema = @schema AND table_name IN ('members', 'shards')
            """;
        bool membersMissing;
        bool shardsMissing;
        await using (var probe = new NpgsqlCommand(MissingColumns, connection, transaction))
        {
            probe.Parameters.AddWithValue("schema", Name);
            await using NpgsqlDataReader reader = await probe.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            membersMissing = reader.GetBoolean(0);
            shardsMissing = reader.GetBoolean(1);
        }

        if (!membersMissing && !shardsMissing)
        {
            return;
        }

        // Both tables locked in one statement and one order, so an upgrade waits for running statements instead of
        // taking one table and then deadlocking on the other.
        string upgrade = $"LOCK TABLE {Shards}, {Members} IN ACCESS EXCLUSIVE MODE;" +
            (membersMissing ? $"ALTER TABLE {Members} ADD COLUMN IF NOT EXISTS instance text NOT NULL DEFAULT '';" : string.Empty) +
            (shardsMissing ? $"ALTER TABLE {Shards} ADD COLUMN IF NOT EXISTS owner_instance text NULL;" : string.Empty);
        await using var alter = new NpgsqlCommand(upgrade, connection, transaction);
        await alter.ExecuteNonQueryAsync(cancellationToken);
    }
}
