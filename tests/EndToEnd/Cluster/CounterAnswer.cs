using System.Diagnostics;
using System.Text.Json;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// One counter request as the client saw it: which node received it, when it was sent and answered (test clock),
/// the status, the counter's JSON when 200, Retry-After, or the exception when there was no answer at all.
/// </summary>
internal sealed record CounterAnswer(string Key, string ReceivedBy, TimeSpan Sent, TimeSpan Done, int Status, long? Count, int? Incarnation, string? RetryAfter, string? Failure)
{
    public bool Ok => Status == 200 && Count is not null;

    /// <summary>Answered at all, with a status the cluster contract allows under failover: 200, or 503 with Retry-After.</summary>
    public bool Acceptable => Ok || (Status == 503 && RetryAfter is not null);

    public override string ToString() =>
        $"{Key} via {ReceivedBy} [{Sent.TotalSeconds:F3}s..{Done.TotalSeconds:F3}s] {(Failure is null ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer: " + Failure)}" +
        (Count is null ? "" : $" count={Count} incarnation={Incarnation}") + (RetryAfter is null ? "" : $" retry-after={RetryAfter}");
}

/// <summary>Sends counter requests (<c>POST /counter/{id}/increment</c>, <c>GET /counter/{id}</c>) and records what came back.</summary>
internal static class CounterClient
{
    public static Task<CounterAnswer> IncrementAsync(HttpClient http, ClusterNodeProcess node, string key, Stopwatch clock) =>
        SendAsync(http, HttpMethod.Post, node, key, "/counter/" + key + "/increment", clock);

    public static Task<CounterAnswer> ReadAsync(HttpClient http, ClusterNodeProcess node, string key, Stopwatch clock) =>
        SendAsync(http, HttpMethod.Get, node, key, "/counter/" + key, clock);

    private static async Task<CounterAnswer> SendAsync(HttpClient http, HttpMethod method, ClusterNodeProcess node, string key, string path, Stopwatch clock)
    {
        TimeSpan sent = clock.Elapsed;
        try
        {
            using var request = new HttpRequestMessage(method, TestCluster.On(node, path));
            if (method == HttpMethod.Post)
            {
                request.Content = new ByteArrayContent([]);
            }

            using HttpResponseMessage response = await http.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            TimeSpan done = clock.Elapsed;
            string? retryAfter = response.Headers.RetryAfter?.ToString();
            long? count = null;
            int? incarnation = null;
            if ((int)response.StatusCode == 200)
            {
                using JsonDocument json = JsonDocument.Parse(body);
                count = Property(json.RootElement, "count").GetInt64();
                incarnation = Property(json.RootElement, "incarnation").GetInt32();
                string id = Property(json.RootElement, "id").GetString()!;
                if (id != key)
                {
                    return new CounterAnswer(key, node.NodeId, sent, done, 200, null, null, retryAfter, $"answered for entity {id}");
                }
            }

            return new CounterAnswer(key, node.NodeId, sent, done, (int)response.StatusCode, count, incarnation, retryAfter, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            string what = e is TaskCanceledException ? $"no answer within {TestCluster.RequestGuard.TotalSeconds:F0}s (hang)" : e.GetType().Name + ": " + e.Message;
            return new CounterAnswer(key, node.NodeId, sent, clock.Elapsed, 0, null, null, null, what);
        }
    }

    private static JsonElement Property(JsonElement json, string name)
    {
        foreach (JsonProperty property in json.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        throw new JsonException($"no \"{name}\" in {json}");
    }
}
