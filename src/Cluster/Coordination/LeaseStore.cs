using Npgsql;
using NpgsqlTypes;

namespace ActorHost.Cluster.Coordination;

/// <summary>One shard lease as read, with the remaining lease computed by the database (null when there is no lease).</summary>
/// <param name="Shard">The shard.</param>
/// <param name="Owner">The lease holder's node id, or null.</param>
/// <param name="Epoch">The fencing epoch.</param>
/// <param name="Remaining">lease_until − now() on the database clock; null when lease_until is null.</param>
/// <param name="OwnerInstance">The process instance that holds the lease under <paramref name="Owner"/> (null for a
/// lease written by a version without instances).</param>
internal sealed record ShardRow(int Shard, string? Owner, long Epoch, TimeSpan? Remaining, string? OwnerInstance = null)
{
    /// <summary>True when someone holds an unexpired lease.</summary>
    public bool IsLeased => Owner is not null && Remaining is { } r && r > TimeSpan.Zero;
}

/// <summary>
/// The statements on the shards table. Every change of owner increments the epoch and is conditional on the
/// row's current state, so the table can never show two owners and a stale writer changes nothing.
/// All expiry is on the database clock (<c>now()</c>); node clocks are never compared.
/// </summary>
/// <remarks>
/// A lease belongs to a node id and to the process instance that took it. Two processes started with the same
/// node id (a misconfiguration, or a restart that overlaps the old process) therefore never share leases: only
/// the process registered last in the members table may renew or take any, and one process never renews the
/// other's, so a new process waits for the old one's leases to expire like any other node would.
/// </remarks>
internal sealed class LeaseStore(ClusterSchema schema)
{
    private const string Returning = "shard, owner, epoch, extract(epoch FROM lease_until - now())::float8, owner_instance";

    /// <summary>
    /// Extends every lease this process holds by the lease duration, while it is still the node id's registered
    /// process (a displaced process renews nothing, whatever it believes).
    /// </summary>
    public NpgsqlBatchCommand Renew(string nodeId, string instance, TimeSpan lease) => new($"""
        UPDATE {schema.Shards} SET lease_until = now() + $2
        WHERE owner = $1 AND owner_instance = $3
          AND EXISTS (SELECT 1 FROM {schema.Members} m WHERE m.node_id = $1 AND m.instance = $3)
        RETURNING {Returning}
        """)
    {
        Parameters = { Text(nodeId), Interval(lease), Text(instance) },
    };

    /// <summary>
    /// Takes the given shards when they are unowned or their lease has expired — never a valid lease of
    /// another node or process — while this process is the node id's registered one. Returns the shards
    /// actually taken, with their new epochs.
    /// </summary>
    public NpgsqlBatchCommand Claim(string nodeId, string instance, IReadOnlyCollection<int> shards, TimeSpan lease) => new($"""
        UPDATE {schema.Shards} SET owner = $1, owner_instance = $4, epoch = epoch + 1, lease_until = now() + $3
        WHERE shard = ANY($2) AND (owner IS NULL OR lease_until IS NULL OR lease_until < now())
          AND EXISTS (SELECT 1 FROM {schema.Members} m WHERE m.node_id = $1 AND m.instance = $4)
        RETURNING {Returning}
        """)
    {
        Parameters =
        {
            Text(nodeId),
            new NpgsqlParameter<int[]> { TypedValue = [.. shards], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
            Interval(lease),
            Text(instance),
        },
    };

    /// <summary>
    /// Passes leases this process holds, at the epochs it knows, to their successors (a fresh lease, epoch + 1,
    /// held by the successor's registered process), or releases them (owner null) where the successor is null.
    /// A shard whose owner, instance or epoch changed meanwhile is left alone.
    /// </summary>
    public NpgsqlBatchCommand Transfer(string nodeId, string instance, IReadOnlyList<HandOff> handOffs, TimeSpan lease) => new($"""
        UPDATE {schema.Shards} AS s
        SET owner = h.successor, epoch = s.epoch + 1,
            owner_instance = (SELECT m.instance FROM {schema.Members} m WHERE m.node_id = h.successor),
            lease_until = CASE WHEN h.successor IS NULL THEN NULL ELSE now() + $5 END
        FROM unnest($2::integer[], $3::bigint[], $4::text[]) AS h(shard, epoch, successor)
        WHERE s.shard = h.shard AND s.epoch = h.epoch AND s.owner = $1 AND s.owner_instance = $6
        RETURNING s.shard, s.owner, s.epoch, extract(epoch FROM s.lease_until - now())::float8, s.owner_instance
        """)
    {
        Parameters =
        {
            Text(nodeId),
            new NpgsqlParameter<int[]> { TypedValue = handOffs.Select(h => h.Shard).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
            new NpgsqlParameter<long[]> { TypedValue = handOffs.Select(h => h.Epoch).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
            new NpgsqlParameter<string?[]> { TypedValue = handOffs.Select(h => h.Successor).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            Interval(lease),
            Text(instance),
        },
    };

    /// <summary>Releases every lease this process still holds (leave timed out): others may claim them at once.</summary>
    public NpgsqlBatchCommand ReleaseAll(string nodeId, string instance) => new($"""
        UPDATE {schema.Shards} SET owner = NULL, owner_instance = NULL, epoch = epoch + 1, lease_until = NULL
        WHERE owner = $1 AND owner_instance = $2
        RETURNING shard, owner, epoch, NULL::float8, owner_instance
        """)
    {
        Parameters = { Text(nodeId), Text(instance) },
    };

    /// <summary>Reads every shard row with its remaining lease on the database clock.</summary>
    public NpgsqlBatchCommand ReadAll() => new($"""
        SELECT {Returning} FROM {schema.Shards} ORDER BY shard
        """);

    /// <summary>Tells every node (LISTEN on the cluster channel) to re-read now; the payload names the sender.</summary>
    public NpgsqlBatchCommand Notify(string nodeId) => new("SELECT pg_notify($1, $2)")
    {
        Parameters = { Text(schema.Channel), Text(nodeId) },
    };

    /// <summary>Reads the rows of any statement above that returns (shard, owner, epoch, remaining seconds, owner instance).</summary>
    public static async Task<List<ShardRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<ShardRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ShardRow(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : TimeSpan.FromSeconds(reader.GetDouble(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return rows;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Interval };
}

/// <summary>One shard to pass on: at the epoch this node holds, to <paramref name="Successor"/> (null = release).</summary>
/// <param name="Shard">The shard.</param>
/// <param name="Epoch">The epoch this node holds it at.</param>
/// <param name="Successor">The new owner, or null to release the lease.</param>
internal readonly record struct HandOff(int Shard, long Epoch, string? Successor);
