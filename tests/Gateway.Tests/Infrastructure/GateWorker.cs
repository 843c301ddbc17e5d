using ActorHost.Workers;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>
/// A worker the tests steer, mounted at <c>/gate/{id}/{**action}</c> (or a pool route): <c>count</c> adds
/// one to a field and answers it with the incarnation; <c>wait?gate=G</c> signals "entered:G" and waits for
/// the test to release G (<c>honour=false</c> ignores the token), then adds one; <c>fail?ex=TYPE</c> throws that exception;
/// <c>reject</c> throws a client error; <c>wait-then-fail?gate=G</c> waits, then throws.
/// </summary>
public sealed class GateWorker(Gates gates) : RequestWorker
{
    private long _count;

    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        string action = (request.RouteValue("action") ?? request.QueryValue("action") ?? "count").Trim('/');
        string gate = request.QueryValue("gate") ?? "g";
        switch (action)
        {
            case "count":
                _count++;
                break;
            case "wait":
                await WaitAsync(gate, request, cancellationToken);
                _count++;
                break;
            case "wait-then-fail":
                await WaitAsync(gate, request, cancellationToken);
                throw new InvalidOperationException("failed after waiting");
            case "fail":
                throw Create(request.QueryValue("ex") ?? "System.InvalidOperationException");
            case "reject":
                throw new ClientInputException(422, "rejected on purpose");
            default:
                throw new ClientInputException(404, "unknown action " + action);
        }

        await response.WriteJsonAsync(new { count = _count, incarnation = Context.Incarnation, path = Context.Path }, cancellationToken);
    }

    private async Task WaitAsync(string gate, WorkerRequest request, CancellationToken cancellationToken)
    {
        gates.Signal("entered:" + gate).TrySetResult();
        Task release = gates.Signal("release:" + gate).Task;
        if (request.QueryValue("honour") == "false")
        {
            await release;
        }
        else
        {
            await release.WaitAsync(cancellationToken);
        }
    }

    private static Exception Create(string typeName)
    {
        Type type = Type.GetType(typeName) ?? typeof(InvalidOperationException);
        return (Exception)Activator.CreateInstance(type, "thrown on request")!;
    }
}
