using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Management.Workers;

/// <summary>The query of <c>GET /workers</c>: <c>?route=R&amp;offset=0&amp;limit=100&amp;q=text</c>.</summary>
internal sealed record WorkerTreeQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Only this route (null = all).</summary>
    public string? Route { get; init; }

    /// <summary>Workers to skip per route.</summary>
    public int Offset { get; init; }

    /// <summary>Workers listed per route (the per-route totals always cover every worker).</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Only workers whose name (entity key) contains this text.</summary>
    public string? Filter { get; init; }

    /// <summary>Reads the query; a bad number is a clear 400, never a silent default.</summary>
    public static bool TryParse(IQueryCollection query, out WorkerTreeQuery parsed, out string? error)
    {
        parsed = new WorkerTreeQuery();
        error = null;
        int offset = 0, limit = DefaultLimit;
        if (query.TryGetValue("offset", out var o) && (!int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            error = "offset must be a non-negative integer";
            return false;
        }

        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 0 or > MaxLimit))
        {
            error = $"limit must be an integer from 0 to {MaxLimit}";
            return false;
        }

        parsed = new WorkerTreeQuery
        {
            Route = query.TryGetValue("route", out var r) && !string.IsNullOrEmpty(r) ? r.ToString() : null,
            Offset = offset,
            Limit = limit,
            Filter = query.TryGetValue("q", out var q) && !string.IsNullOrEmpty(q) ? q.ToString() : null,
        };
        return true;
    }
}
