using System.Net.Http.Headers;
using System.Text.Json;
using ActorHost.EndToEnd;

namespace ActorHost.Dashboard.Tests;

/// <summary>The real <c>actorhost</c> process with a management token, and clients for both of its listeners.</summary>
internal sealed class DashboardGateway : IAsyncDisposable
{
    public const string Token = "dashboard-test-token";

    private DashboardGateway(GatewayProcess process, Uri gateway, Uri management)
    {
        Process = process;
        Client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(30) };
    }

    public GatewayProcess Process { get; }

    public HttpClient Client { get; }

    public HttpClient Management { get; }

    public static async Task<DashboardGateway> StartAsync()
    {
        GatewayProcess process = GatewayProcess.Start("--config", GatewayProcess.TestConfig($"actorhost.management.token = \"{Token}\""));
        try
        {
            Uri gateway = await process.GatewayAddressAsync();
            JsonElement line = await process.WaitForAsync(r => GatewayProcess.Event(r) == 104 && GatewayProcess.State(r, "Listener") == "Management API");
            Uri management = new(GatewayProcess.State(line, "Addresses")!.Split(',')[0].Trim());
            return new DashboardGateway(process, gateway, management);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A token-protected management call.</summary>
    public async Task<JsonElement> PostManagementAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using HttpResponseMessage response = await Management.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<int> PostAsync(string path)
    {
        using HttpResponseMessage response = await Client.PostAsync(path, content: null);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        await Process.DisposeAsync();
    }
}
