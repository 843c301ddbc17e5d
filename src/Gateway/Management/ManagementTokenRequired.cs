namespace ActorHost.Gateway.Management;

/// <summary>
/// Endpoint metadata: the endpoint mutates something and needs the management token, checked by
/// <see cref="BearerTokenGuard"/> before anything of the request (its body included) is read.
/// </summary>
internal sealed class ManagementTokenRequired
{
    public static ManagementTokenRequired Instance { get; } = new();

    private ManagementTokenRequired()
    {
    }
}
