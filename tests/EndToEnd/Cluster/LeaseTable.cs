using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>One row of <c>&lt;schema&gt;.shards</c>.</summary>
internal sealed record ShardLease(int Shard, string? Owner, long Epoch, DateTimeOffset? LeaseUntil);

/// <summary>One row of <c>&lt;schema&gt;.members</c>.</summary>
internal sealed record MemberRow(string NodeId, string Address, string Status, DateTimeOffset HeartbeatAt);

/// <summary>The whole lease table read in one statement, with the database clock and the test's clock at the read.</summary>
internal sealed record LeaseSnapshot(TimeSpan At, DateTimeOffset DatabaseNow, IReadOnlyList<ShardLease> Shards)
{
    /// <summary>The shard has an owner whose lease has not expired (database clock).</summary>
    public bool IsHeld(ShardLease lease) => lease.Owner is not null && lease.LeaseUntil > DatabaseNow;

    public bool IsHeldBy(int shard, string owner) => Shards[shard].Owner == owner && IsHeld(Shards[shard]);

    /// <summary>Every shard held, each by the node <paramref name="winners"/> names for it.</summary>
    public bool Matches(IReadOnlyList<string> winners) => Shards.All(s => s.Owner == winners[s.Shard] && IsHeld(s));

    public IEnumerable<int> ShardsOf(string owner) => Shards.Where(s => s.Owner == owner).Select(s => s.Shard);

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"lease table at {At.TotalSeconds:F2}s (db now {DatabaseNow:O}):");
        foreach (IGrouping<string, ShardLease> owner in Shards.GroupBy(s => (s.Owner ?? "(none)") + (IsHeld(s) ? "" : " expired")).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $" {owner.Key}: [{string.Join(',', owner.Select(s => s.Shard))}];");
        }

        return text.ToString();
    }
}

/// <summary>
/// Reads the cluster's tables directly: the authority on who owns what. Every read opens its own connection
/// (no pool), so a restarted database is simply read again.
/// </summary>
internal sealed class LeaseTable(string connectionString, string schema)
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The test's clock, shared by every snapshot (so samples and events can be compared).</summary>
    public TimeSpan Now => _clock.Elapsed;

    public async Task<LeaseSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        TimeSpan at = _clock.Elapsed;
        await using var command = new NpgsqlCommand($"SELECT shard, owner, epoch, lease_until, now() FROM \"{schema}\".shards ORDER BY shard", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var shards = new List<ShardLease>();
        DateTimeOffset databaseNow = default;
        while (await reader.ReadAsync(cancellationToken))
        {
            shards.Add(new ShardLease(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
            databaseNow = reader.GetFieldValue<DateTimeOffset>(4);
        }

        return new LeaseSnapshot(at, databaseNow, shards);
    }

    public async Task<IReadOnlyList<MemberRow>> MembersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT node_id, address, status, heartbeat_at FROM \"{schema}\".members ORDER BY node_id", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<MemberRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new MemberRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return members;
    }

    /// <summary>
    /// Re-reads the table every <paramref name="period"/> (50 ms unless given) until <paramref name="condition"/> holds
    /// (see <see cref="DatabasePoll"/>): leases expire on the database clock without any event to wait for.
    /// </summary>
    public Task<LeaseSnapshot> WaitUntilAsync(Func<LeaseSnapshot, bool> condition, string what, TimeSpan timeout, TimeSpan? period = null) =>
        DatabasePoll.UntilAsync(ReadAsync, condition, what, timeout, period ?? TimeSpan.FromMilliseconds(50), last => "Last " + (last?.ToString() ?? "read failed"));
}
