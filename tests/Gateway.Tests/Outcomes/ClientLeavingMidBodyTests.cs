using ActorHost.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>
/// A client that leaves while the gateway is still reading its request body: nothing ran, nothing failed. README
/// "Outcomes": the client left → <c>client_aborted</c> (499, Information); <c>gateway_fault</c> is only for a bug in
/// ActorHost's own request path, and <c>client_error</c> only for input the client really sent.
/// </summary>
public sealed class ClientLeavingMidBodyTests
{
    // Expect: 100-continue makes Kestrel answer "100 Continue" only once the endpoint starts reading the body:
    // when the test sees it, the gateway is inside its body read (no sleep needed).
    private const string Headers = "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n";

    [Fact]
    public async Task Client_resetting_the_connection_mid_body_is_client_aborted_not_a_gateway_fault()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using RawHttp raw = await SendPartOfTheBodyAsync(gateway);
        raw.Reset();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/echo");

        Assert.True(line.Text("Outcome") == "client_aborted", $"{line.Text("Status")} {line.Text("Outcome")} {line.Text("ErrorType")}");
        Assert.Equal(499, line["Status"]);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(true, line["ClientLeft"]);
        Assert.DoesNotContain(gateway.Logs.Records, r => r.EventId.Name == "GatewayFault");
    }

    [Fact]
    public async Task Client_closing_the_connection_mid_body_is_client_aborted_not_a_400_client_error()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();
        await using RawHttp raw = await SendPartOfTheBodyAsync(gateway);
        raw.Close();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/echo");

        Assert.True(line.Text("Outcome") == "client_aborted", $"{line.Text("Status")} {line.Text("Outcome")} {line.Text("ErrorType")}");
        Assert.Equal(499, line["Status"]);
        Assert.Equal(true, line["ClientLeft"]);
        Assert.Equal(0L, line["Bytes"]);
    }

    /// <summary>Connects and sends 3 of the 100 bytes the request declares, once the gateway is reading its body.</summary>
    private static async Task<RawHttp> SendPartOfTheBodyAsync(RealGateway gateway)
    {
        RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);
        await raw.SendRawAsync(Headers);
        await raw.ReadUntilAsync("100 Continue");
        await raw.SendRawAsync("abc");
        return raw;
    }
}
