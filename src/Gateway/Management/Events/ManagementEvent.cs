namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// One entry of the <c>/events</c> stream: a sequential id (the SSE <c>id:</c>), a type (the SSE
/// <c>event:</c>) and its JSON data, serialised once when it entered the ring.
/// </summary>
/// <param name="Id">Sequential, gap-free, starting at 1.</param>
/// <param name="Type">E.g. <c>worker.failed</c>, <c>requests</c>.</param>
/// <param name="Json">The data line (a JSON object that also carries the id, type and time).</param>
internal sealed record ManagementEvent(long Id, string Type, string Json);
