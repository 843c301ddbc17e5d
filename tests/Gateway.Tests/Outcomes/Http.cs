using System.Text.Json;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>Small HTTP helpers for the outcome tests.</summary>
internal static class Http
{
    public sealed record Answer(int Status, string Body, HttpResponseMessage Response)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public long Count => Json.GetProperty("count").GetInt64();

        public int Incarnation => Json.GetProperty("incarnation").GetInt32();
    }

    public static async Task<Answer> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return new Answer((int)response.StatusCode, body, response);
    }

    public static Task<Answer> PostAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Post, path);

    public static Task<Answer> GetAnswerAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Get, path);
}
