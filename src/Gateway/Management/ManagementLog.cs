using ActorHost.Gateway.Requests;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>Log lines of the management API and dashboard (category <c>ActorHost.Gateway</c>, event ids 400–499).</summary>
internal static partial class ManagementLog
{
    /// <summary>The category (the gateway's own).</summary>
    public const string Category = GatewayLog.Category;

    [LoggerMessage(EventId = 400, EventName = "ManagementFault", Level = LogLevel.Error,
        Message = "The management component {Component} failed; it goes on with the next item.")]
    public static partial void ManagementFault(ILogger logger, Exception exception, string component);

    [LoggerMessage(EventId = 401, EventName = "EventsClientResumed", Level = LogLevel.Debug,
        Message = "/events client resumed after id {Since}; {Missed} events were no longer kept.")]
    public static partial void EventsClientResumed(ILogger logger, long since, long missed);

    [LoggerMessage(EventId = 402, EventName = "ShutdownRequested", Level = LogLevel.Warning,
        Message = "Shutdown requested through the management API from {Remote}: {Reason}")]
    public static partial void ShutdownRequested(ILogger logger, string? remote, string reason);
}
