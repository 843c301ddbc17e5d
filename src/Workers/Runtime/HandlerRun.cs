using ActorHost.Workers.Faults;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// Runs one handler call and decides its outcome, as close to the user's code as possible so that what is
/// caught here is known to be the handler's (DESIGN "Where failures are caught"). The rules:
/// returned → the response ends cleanly, outcome <c>ok</c> (or <c>client_error</c> for a 4xx the handler set);
/// <see cref="OperationCanceledException"/> because the request token fired → the recorded cause's outcome,
/// not a failure; <see cref="ClientInputException"/> → <c>client_error</c> with the exception (the host answers its
/// 4xx if nothing was sent yet), not a failure; anything else → <c>handler_failed</c> or <c>failed_after_start</c>, returned to the worker
/// actor, which hands it to the kernel's supervision. The worker never writes a 500 itself: the gateway
/// answers from the outcome.
/// </summary>
/// <remarks>
/// A failure's result is held back until the supervisor has decided (the runtime releases it when the
/// decision is published, or when the incarnation ends): a client that receives the 500 and sends its next
/// request at once must already find the decision applied — after a stop, its entity re-created.
/// A failure is returned rather than rethrown: each rethrow through an await costs a full exception dispatch,
/// and a failing route must stay cheap (bench/run.sh, fail10).
/// </remarks>
internal static class HandlerRun
{
    /// <summary>Runs the handler; returns the handler's failure (for supervision), or null when it did not fail.</summary>
    public static async Task<Exception?> RunAsync(RequestWorker worker, RequestEnvelope envelope, InjectedFault? fault, RuntimeServices services, CancellationToken incarnationEnded)
    {
        RequestResult? result;
        try
        {
            if (fault is not null)
            {
                if (fault.Rule.Point == FaultPoint.Hang)
                {
                    // Ignores the request token on purpose; only the end of the incarnation (or the bound) stops it.
                    await Task.Delay(fault.Rule.HangLimit, services.Time, incarnationEnded);
                }

                // Thrown, not just returned: an injected failure costs what a real one does.
                throw fault.Strike();
            }

            await worker.HandleAsync(envelope.Request, new WorkerResponse(envelope.Response), envelope.HandlerToken);
            result = await EndCleanlyAsync(envelope);
        }
        catch (OperationCanceledException canceled) when (IsRequestCancellation(canceled, envelope))
        {
            result = Cause(envelope) is { } cause ? new RequestResult(cause, canceled) : null;
        }
        catch (ClientInputException rejection)
        {
            // Nothing sent yet: the host answers from the outcome, with the problem document it writes for every
            // answer of its own (the gateway's has the outcome and the caller's trace id). A response that started
            // is cut off instead: its status can no longer change, and a clean end would pass a half body as whole.
            if (envelope.Response.HasStarted)
            {
                envelope.Response.Abort();
            }

            result = new RequestResult(RequestOutcome.ClientError, rejection);
        }
        catch (OperationCanceledException retired) when (incarnationEnded.IsCancellationRequested && fault?.Rule.Point == FaultPoint.Hang)
        {
            // An injected hang ends when its incarnation is retired; the request was never served.
            result = new RequestResult(RequestOutcome.WorkerStopped, retired);
        }
        catch (Exception failure)
        {
            RequestOutcome outcome = envelope.Response.State == ResponseState.NotStarted ? RequestOutcome.HandlerFailed : RequestOutcome.FailedAfterStart;
            services.HoldFailure(envelope, new RequestResult(outcome, failure));
            return failure;
        }

        // Null: the gateway sealed or aborted the response without a cancellation cause; it decides the outcome.
        if (result is not null)
        {
            envelope.TryComplete(result);
        }

        return null;
    }

    // A value task: a task-returning method that completes at once with a result other than null allocates its task,
    // and this one completes at once for nearly every request.
    private static async ValueTask<RequestResult?> EndCleanlyAsync(RequestEnvelope envelope)
    {
        if (await envelope.Response.CompleteAsync())
        {
            return envelope.Response.StatusSent is >= 400 and < 500 ? new RequestResult(RequestOutcome.ClientError) : RequestResult.Ok;
        }

        return Cause(envelope) is { } cause ? new RequestResult(cause, envelope.Response.PeerClosedBy) : null;
    }

    // Raised because the request token fired — or a write refused because the response is no longer the
    // handler's (peer gone, gateway took over), which the channel reports as cancellation of that token.
    private static bool IsRequestCancellation(OperationCanceledException canceled, RequestEnvelope envelope) =>
        envelope.HandlerToken.IsCancellationRequested
        || (canceled.CancellationToken == envelope.HandlerToken
            && (envelope.Response.PeerClosedBy is not null || envelope.Response.State is ResponseState.Sealed or ResponseState.Aborted));

    private static RequestOutcome? Cause(RequestEnvelope envelope) =>
        envelope.CancellationCause ?? (envelope.Response.PeerClosedBy is not null ? RequestOutcome.PeerClosed : null);
}
