using System.Globalization;
using ActorHost.Workers;
using ActorHost.Workers.Faults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Management;

/// <summary>
/// Fault rules at run time (token required): <c>POST /faults</c> adds a rule and answers its id,
/// <c>DELETE /faults/{id}</c> removes one, <c>DELETE /faults</c> removes them all, <c>GET /faults</c> lists
/// them with their counters. Only when the worker runtime has a fault injector and
/// <c>actorhost.faults.enabled = on</c>; otherwise adding answers 409.
/// </summary>
internal static class FaultRuleEndpoints
{
    public static void Map(RouteGroupBuilder group, IServiceProvider gatewayServices)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(gatewayServices);
        FaultInjector? injector = gatewayServices.GetService<FaultInjector>();

        group.MapGet("/faults", () => injector is null
            ? Results.Json(new { enabled = false, rules = Array.Empty<object>() })
            : Results.Json(new { enabled = injector.Enabled, rules = injector.Rules.Select(Describe) }));

        // The body is read by hand, not bound by the endpoint: the reader refuses unknown fields and nulls with a
        // detail naming the field, which the serializer's defaults (and the binder's bare 400) do not.
        group.MapPost("/faults", async (HttpRequest request) =>
        {
            if (injector is not { Enabled: true })
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Fault injection is disabled.",
                    detail: "Set actorhost.faults.enabled = on to add fault rules.");
            }

            (FaultRuleRequest? body, IResult? refusal) = await FaultRuleRequestReader.ReadAsync(request, request.HttpContext.RequestAborted);
            if (body is null)
            {
                return refusal!;
            }

            if (!body.TryToRule(out FaultRule? rule, out string? error))
            {
                return FaultRuleRequestReader.Invalid(error);
            }

            try
            {
                int id = injector.Add(rule);
                return Results.Created(string.Create(CultureInfo.InvariantCulture, $"/faults/{id}"), new { id });
            }
            catch (ArgumentException e)
            {
                return FaultRuleRequestReader.Invalid(e.Message);
            }
        });

        group.MapDelete("/faults", () =>
        {
            injector?.Clear();
            return Results.NoContent();
        });

        group.MapDelete("/faults/{id:int}", (int id) => injector?.Remove(id) == true ? Results.NoContent() : Results.NotFound());
    }

    // Every field of the rule, under the names POST /faults takes: a listed rule must say everything it will do when
    // it fires (exitCode above all: a rule that ends the process must not look like one that throws).
    private static object Describe(FaultRuleStatus status) => new
    {
        id = status.Id,
        route = status.Rule.Route,
        worker = status.Rule.Worker,
        point = ConfigWords.ToWord(status.Rule.Point),
        nth = status.Rule.Nth,
        every = status.Rule.Every,
        probability = status.Rule.Probability,
        afterBytes = status.Rule.AfterBytes,
        exception = status.Rule.Exception,
        message = status.Rule.Message,
        exitCode = status.Rule.ExitCode,
        hangLimitMs = (long)status.Rule.HangLimit.TotalMilliseconds,
        origin = status.Rule.Origin,
        calls = status.Calls,
        fired = status.Fired,
    };
}
