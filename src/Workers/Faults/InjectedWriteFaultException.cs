namespace ActorHost.Workers.Faults;

/// <summary>
/// Carries an injected <c>after-bytes</c> failure from the faulting sink to the <see cref="ResponseChannel"/>, which
/// throws <see cref="Fault"/> (the rule's own exception) on to the handler.
/// </summary>
/// <remarks>
/// The channel takes an <see cref="IOException"/>, <see cref="OperationCanceledException"/> or
/// <see cref="ObjectDisposedException"/> from a sink as the peer being gone (outcome peer_closed, no supervision).
/// An injected failure of one of those types is a handler failure all the same (only <c>on-write</c> stands for a
/// peer reset), so it crosses the sink boundary inside this marker and is unwrapped by the channel. Never escapes
/// the channel.
/// </remarks>
internal sealed class InjectedWriteFaultException(Exception fault) : Exception(fault.Message, fault)
{
    /// <summary>The exception the rule names, thrown on to the handler.</summary>
    public Exception Fault { get; } = fault;
}
