using Npgsql;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>One node's renewal of its leases (one statement), at that transaction's now(): the instant they count from.</summary>
internal sealed record LeaseRenewal(string Owner, DateTimeOffset At);

/// <summary>
/// Every lease renewal the database grants from <see cref="StartAsync"/> on (same owner, same epoch, a new expiry; not
/// claims or transfers), one row per node and statement, recorded by a statement trigger on the shards table: so a test
/// can tell afterwards, on the database's clock, when each node renewed. The table survives a stop and start of the server.
/// </summary>
internal sealed class LeaseRenewals
{
    private readonly string _connectionString;

    private LeaseRenewals(string connectionString) => _connectionString = connectionString;

    public static async Task<LeaseRenewals> StartAsync(string connectionString, string schema)
    {
        var renewals = new LeaseRenewals(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString);
        await using var connection = new NpgsqlConnection(renewals._connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            CREATE TABLE public.lease_renewals (owner text NOT NULL, at timestamptz NOT NULL);
            CREATE FUNCTION public.record_lease_renewals() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO public.lease_renewals (owner, at)
                SELECT DISTINCT n.owner, now() FROM renewed n JOIN previous p ON p.shard = n.shard
                WHERE n.owner IS NOT NULL AND n.lease_until IS NOT NULL AND n.owner = p.owner AND n.epoch = p.epoch;
                RETURN NULL;
            END $$;
            CREATE TRIGGER record_lease_renewals AFTER UPDATE ON "{schema}".shards REFERENCING OLD TABLE AS previous NEW TABLE AS renewed
                FOR EACH STATEMENT EXECUTE FUNCTION public.record_lease_renewals();
            """, connection);
        await command.ExecuteNonQueryAsync();
        return renewals;
    }

    /// <summary>The renewals recorded so far, oldest first.</summary>
    public async Task<IReadOnlyList<LeaseRenewal>> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT owner, at FROM public.lease_renewals ORDER BY at", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var renewals = new List<LeaseRenewal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            renewals.Add(new LeaseRenewal(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return renewals;
    }

    /// <summary>Re-reads the renewals every 50 ms until <paramref name="condition"/> holds (see <see cref="DatabasePoll"/>).</summary>
    public Task<IReadOnlyList<LeaseRenewal>> WaitUntilAsync(Func<IReadOnlyList<LeaseRenewal>, bool> condition, string what, TimeSpan timeout) =>
        DatabasePoll.UntilAsync(ReadAsync, condition, what, timeout, TimeSpan.FromMilliseconds(50), last => $"{last?.Count ?? 0} renewals recorded");
}
