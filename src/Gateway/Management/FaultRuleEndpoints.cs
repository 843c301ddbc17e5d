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

        group.MapPost("/faults", (FaultRuleRequest body) =>
        {
            if (injector is not { Enabled: true })
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Fault injection is disabled.",
                    detail: "Set actorhost.faults.enabled = on to add fault rules.");
            }

            if (!body.TryToRule(out FaultRule? rule, out string? error))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid fault rule.", detail: error);
            }

            try
            {
                int id = injector.Add(rule);
                return Results.Created(string.Create(CultureInfo.InvariantCulture, $"/faults/{id}"), new { id });
            }
            catch (ArgumentException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid fault rule.", detail: e.Message);
            }
        });

        group.MapDelete("/faults", () =>
        {
            injector?.Clear();
            return Results.NoContent();
        });

        group.MapDelete("/faults/{id:int}", (int id) => injector?.Remove(id) == true ? Results.NoContent() : Results.NotFound());
    }

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
        calls = status.Calls,
        fired = status.Fired,
    };
}

/// <summary>The JSON body of <c>POST /faults</c>: the same fields as a rule in <c>actorhost.faults.rules</c>.</summary>
internal sealed record FaultRuleRequest
{
    // The defaults are the rule's own, so an endpoint rule and a HOCON rule with the same fields are the same rule.
    private static readonly FaultRule Defaults = new();

    public string Route { get; init; } = Defaults.Route;

    public string Worker { get; init; } = Defaults.Worker;

    public string Point { get; init; } = ConfigWords.ToWord(Defaults.Point);

    public long Nth { get; init; }

    public long Every { get; init; }

    /// <summary>Absent: not a trigger. 0 is a trigger that never fires (see <see cref="FaultRule.Probability"/>).</summary>
    public double? Probability { get; init; }

    public long AfterBytes { get; init; }

    public string Exception { get; init; } = Defaults.Exception;

    public string Message { get; init; } = Defaults.Message;

    public int ExitCode { get; init; }

    /// <summary>Hang point only: milliseconds after which the hang gives up (default one minute).</summary>
    public long? HangLimitMs { get; init; }

    public bool TryToRule([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FaultRule? rule, out string? error)
    {
        rule = null;
        if (!ConfigWords.TryParse(Point, out FaultPoint point))
        {
            error = $"point \"{Point}\" is not one of: constructor, before-handle, after-bytes, on-write, hang";
            return false;
        }

        rule = new FaultRule
        {
            Route = Route,
            Worker = Worker,
            Point = point,
            Nth = Nth,
            Every = Every,
            Probability = Probability,
            AfterBytes = AfterBytes,
            Exception = Exception,
            Message = Message,
            ExitCode = ExitCode,
            HangLimit = HangLimitMs is long ms ? TimeSpan.FromMilliseconds(ms) : Defaults.HangLimit,
        };
        error = null;
        return true;
    }
}
