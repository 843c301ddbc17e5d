using Npgsql;
using NpgsqlTypes;

namespace ActorHost.Cluster.Coordination;

/// <summary>One row of the members table as read, with its heartbeat age computed by the database.</summary>
/// <param name="NodeId">The member's id.</param>
/// <param name="Address">Its advertised internal URL.</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="Status">joining, up or leaving as stored.</param>
/// <param name="HeartbeatAge">now() − heartbeat_at on the database clock.</param>
internal sealed record MemberRow(string NodeId, string Address, DateTimeOffset StartedAt, MemberStatus Status, TimeSpan HeartbeatAge);

/// <summary>
/// The statements on the members table. Each returns rows (even the writes, through RETURNING) so that a
/// batch's result sets line up one-to-one with its statements.
/// </summary>
internal sealed class MemberStore(ClusterSchema schema)
{
    /// <summary>
    /// Heartbeats the member with the given status, as process <paramref name="instance"/>. An upsert, so a row
    /// removed while the node was cut off (garbage collection of long-dead members) comes back on the next
    /// heartbeat. Returns no row when another process has registered under the same node id since: this
    /// process is displaced and must stop serving.
    /// </summary>
    public NpgsqlBatchCommand Heartbeat(string nodeId, string address, MemberStatus status, string instance) => new($"""
        INSERT INTO {schema.Members} AS m (node_id, address, started_at, status, heartbeat_at, instance)
        VALUES ($1, $2, now(), $3, now(), $4)
        ON CONFLICT (node_id) DO UPDATE SET address = excluded.address, status = excluded.status, heartbeat_at = now()
        WHERE m.instance = excluded.instance
        RETURNING m.status
        """)
    {
        Parameters = { Text(nodeId), Text(address), Text(Word(status)), Text(instance) },
    };

    /// <summary>
    /// Registers the member afresh as process <paramref name="instance"/> (joining, new start time), displacing
    /// any earlier process registered under the same node id; returns the previous heartbeat age when a row existed.
    /// </summary>
    public NpgsqlBatchCommand Register(string nodeId, string address, string instance) => new($"""
        WITH previous AS (SELECT extract(epoch FROM now() - heartbeat_at)::float8 AS age FROM {schema.Members} WHERE node_id = $1)
        INSERT INTO {schema.Members} AS m (node_id, address, started_at, status, heartbeat_at, instance)
        VALUES ($1, $2, now(), 'joining', now(), $3)
        ON CONFLICT (node_id) DO UPDATE SET address = excluded.address, started_at = now(), status = 'joining', heartbeat_at = now(), instance = excluded.instance
        RETURNING (SELECT age FROM previous)
        """)
    {
        Parameters = { Text(nodeId), Text(address), Text(instance) },
    };

    /// <summary>Removes the member (graceful leave), unless another process has registered under its node id since.</summary>
    public NpgsqlBatchCommand Remove(string nodeId, string instance) => new($"DELETE FROM {schema.Members} WHERE node_id = $1 AND instance = $2 RETURNING node_id")
    {
        Parameters = { Text(nodeId), Text(instance) },
    };

    /// <summary>Forgets members dead for longer than <paramref name="age"/> that hold no lease (crashed nodes that never came back).</summary>
    public NpgsqlBatchCommand CollectDead(TimeSpan age) => new($"""
        DELETE FROM {schema.Members} m
        WHERE m.heartbeat_at < now() - $1
          AND NOT EXISTS (SELECT 1 FROM {schema.Shards} s WHERE s.owner = m.node_id AND s.lease_until > now())
        RETURNING m.node_id
        """)
    {
        Parameters = { new NpgsqlParameter<TimeSpan> { TypedValue = age, NpgsqlDbType = NpgsqlDbType.Interval } },
    };

    /// <summary>Reads every member with its heartbeat age on the database clock.</summary>
    public NpgsqlBatchCommand ReadAll() => new($"""
        SELECT node_id, address, started_at, status, extract(epoch FROM now() - heartbeat_at)::float8
        FROM {schema.Members} ORDER BY node_id
        """);

    /// <summary>Reads the rows of a <see cref="ReadAll"/> result set.</summary>
    public static async Task<List<MemberRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<MemberRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MemberRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                ParseStatus(reader.GetString(3)),
                TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(4)))));
        }

        return rows;
    }

    /// <summary>The stored word of a status (down is never stored: it is derived from the heartbeat age).</summary>
    public static string Word(MemberStatus status) => status switch
    {
        MemberStatus.Joining => "joining",
        MemberStatus.Up => "up",
        MemberStatus.Leaving => "leaving",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "down is derived, never stored"),
    };

    private static MemberStatus ParseStatus(string word) => word switch
    {
        "up" => MemberStatus.Up,
        "leaving" => MemberStatus.Leaving,
        _ => MemberStatus.Joining,
    };

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
