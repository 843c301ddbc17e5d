using System.Globalization;
using System.Text.Json;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>Event ids and record helpers for the cluster's log lines (category ActorHost.Cluster, ids 500–599).</summary>
internal static class ClusterEvents
{
    public const int RequestFinished = 1;
    public const int Joined = 500;
    public const int DatabaseUnreachable = 501;
    public const int DatabaseReachable = 502;
    public const int SelfFenced = 503;
    public const int Recovered = 504;
    public const int ShardsLost = 505;
    public const int ShardsAcquired = 506;
    public const int HandOffStarted = 507;
    public const int HandOffCompleted = 508;
    public const int HandOffFailed = 509;
    public const int StopEntitiesFailed = 510;
    public const int LeaveStarted = 512;
    public const int LeaveCompleted = 513;
    public const int LeaveIncomplete = 514;
    public const int HandOffWaitsForEntities = 521;
    public const int ForwardRefused = 600;
    public const int OwnerUnreachable = 601;
    public const int OwnerLost = 603;

    /// <summary>The reasons a node refuses an internal request.</summary>
    public static readonly string[] RefusalReasons = ["missing-signature", "bad-signature", "stale-timestamp", "replayed"];

    public static bool Is(JsonElement record, int eventId) => GatewayProcess.Event(record) == eventId;

    /// <summary>A request-finished line of <paramref name="path"/>.</summary>
    public static bool IsFinished(JsonElement record, string path) =>
        Is(record, RequestFinished) && GatewayProcess.State(record, "Path") == path;

    /// <summary>The "ForwardRefused" warning (category ActorHost.Cluster.Forwarding) with <paramref name="reason"/>.</summary>
    public static bool IsForwardRefused(JsonElement record, string reason) =>
        GatewayProcess.Event(record) == ForwardRefused
        && GatewayProcess.Field(record, "LogLevel") == "Warning"
        && GatewayProcess.State(record, "Reason") == reason;

    /// <summary>The node's request-finished records of <c>POST /counter/{key}/increment</c> answered with <paramref name="status"/>.</summary>
    public static JsonElement[] Increments(ClusterNodeProcess node, string key, int status = 200) =>
        [.. node.RecordsOf(RequestFinished).Where(r => GatewayProcess.State(r, "Path") == "/counter/" + key + "/increment"
            && GatewayProcess.State(r, "Status") == status.ToString(CultureInfo.InvariantCulture))];

    /// <summary>How many records each node has logged so far (pass it to <see cref="AssertNoSelfFencing"/> to count only later ones).</summary>
    public static Dictionary<string, int> Mark(IEnumerable<ClusterNodeProcess> nodes) => nodes.ToDictionary(n => n.NodeId, n => n.Process.Records.Count);

    /// <summary>
    /// Fails, quoting the log lines, when any of <paramref name="nodes"/> self-fenced (or lost the database) after
    /// <paramref name="recordsBefore"/> (from <see cref="Mark"/>). Only what follows the mark counts: a node starved of
    /// CPU right after its start may fence for a moment (and recover alone), which is the loaded machine, not the
    /// scenario under test.
    /// </summary>
    public static void AssertNoSelfFencing(IEnumerable<ClusterNodeProcess> nodes, string who, IReadOnlyDictionary<string, int> recordsBefore)
    {
        static bool IsFencing(JsonElement r) => Is(r, SelfFenced) || Is(r, Recovered) || Is(r, DatabaseUnreachable);
        string[] fenced = [.. nodes.SelectMany(n => n.Process.Records.Skip(recordsBefore[n.NodeId]).Where(IsFencing)
            .Select(r => $"{n.NodeId} {Field(r, "Timestamp")} {Field(r, "Message")}"))];
        Assert.True(fenced.Length == 0, $"no self-fencing expected on {who}, but: {string.Join(" | ", fenced)}");
    }

    private static string? Field(JsonElement record, string name) => GatewayProcess.Field(record, name);

    /// <summary>The record's own timestamp (the nodes log it in UTC, round-trip format), when present.</summary>
    public static DateTimeOffset? Timestamp(JsonElement record) =>
        GatewayProcess.Field(record, "Timestamp") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset at)
            ? at
            : null;
}
