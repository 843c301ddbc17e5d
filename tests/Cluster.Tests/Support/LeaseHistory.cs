using Npgsql;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>One lease the database granted: the shard, the holding process instance, when (commit-time clock) and until when.</summary>
public sealed record LeaseGrant(int Shard, string? Instance, DateTimeOffset At, DateTimeOffset LeaseUntil);

/// <summary>
/// Every lease the database grants from now on (claims, renewals, transfers), recorded by a trigger on the shards
/// table, so a test can tell afterwards on the database's own terms who held what until when.
/// </summary>
public sealed class LeaseHistory
{
    private readonly TestCluster _cluster;

    private LeaseHistory(TestCluster cluster) => _cluster = cluster;

    public static async Task<LeaseHistory> StartAsync(TestCluster cluster)
    {
        await cluster.ExecuteAsync("""
            CREATE TABLE lease_grants (shard int, instance text, at timestamptz NOT NULL DEFAULT clock_timestamp(), lease_until timestamptz);
            CREATE FUNCTION record_lease_grant() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.lease_until IS NOT NULL THEN
                    INSERT INTO lease_grants (shard, instance, lease_until) VALUES (NEW.shard, NEW.owner_instance, NEW.lease_until);
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER record_lease_grant AFTER UPDATE ON actorhost.shards FOR EACH ROW EXECUTE FUNCTION record_lease_grant();
            """);
        return new LeaseHistory(cluster);
    }

    /// <summary>The grants recorded so far.</summary>
    public async Task<List<LeaseGrant>> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(_cluster.HelperConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT shard, instance, at, lease_until FROM lease_grants ORDER BY at", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var grants = new List<LeaseGrant>();
        while (await reader.ReadAsync())
        {
            grants.Add(new LeaseGrant(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return grants;
    }
}
