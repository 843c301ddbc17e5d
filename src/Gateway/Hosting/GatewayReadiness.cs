namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Whether the gateway wants new traffic (<c>GET /ready</c>). It becomes ready once the listeners are
/// up; shutdown flips it off first thing, so load balancers stop sending before anything is refused.
/// </summary>
internal sealed class GatewayReadiness
{
    private volatile string? _notReadyReason = "starting";

    public bool IsReady => _notReadyReason is null;

    /// <summary>Why the gateway is not ready, or null when it is.</summary>
    public string? NotReadyReason => _notReadyReason;

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _notReadyReason = reason;
    }
}
