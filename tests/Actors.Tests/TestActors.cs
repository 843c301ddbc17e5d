using System.Collections.Concurrent;

namespace ActorHost.Actors.Tests;

/// <summary>Replies to every message with the same message.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>A command that makes <see cref="LifecycleRecorder"/> or <see cref="CountingActor"/> throw.</summary>
public sealed record Boom(Exception Exception);

/// <summary>Counts messages; replies with the count; throws on <see cref="Boom"/>; reports its incarnation.</summary>
public sealed class CountingActor : ReceiveActor
{
    private int _count;

    public CountingActor()
    {
        Receive<Boom>(b => throw b.Exception);
        Receive<string>(s => s == "incarnation", _ => Sender.Tell(Context.Incarnation));
        Receive<string>(s => s == "count", _ => Sender.Tell(_count));
        ReceiveAny(_ => Sender.Tell(++_count));
    }
}

/// <summary>Records lifecycle calls (with its incarnation) into a shared log.</summary>
public sealed class LifecycleRecorder : ReceiveActor
{
    private readonly ConcurrentQueue<string> _log;
    private readonly string _name;

    public LifecycleRecorder(ConcurrentQueue<string> log, string name = "a", Props? child = null)
    {
        _log = log;
        _name = name;
        _log.Enqueue($"{_name}:ctor#{Context.Incarnation}");
        if (child is not null)
        {
            Context.ActorOf(child, "child");
        }

        Receive<Boom>(b => throw b.Exception);
        ReceiveAny(m =>
        {
            _log.Enqueue($"{_name}:receive#{Context.Incarnation}:{m}");
            Sender.Tell(m);
        });
    }

    protected override void PreStart() => _log.Enqueue($"{_name}:PreStart#{Context.Incarnation}");

    protected override void PostStop() => _log.Enqueue($"{_name}:PostStop#{Context.Incarnation}");

    protected override void PreRestart(Exception reason, object? message)
    {
        _log.Enqueue($"{_name}:PreRestart#{Context.Incarnation}:{reason.Message}:{(message is Boom b ? "Boom(" + b.Exception.Message + ")" : message?.ToString() ?? "null")}");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _log.Enqueue($"{_name}:PostRestart#{Context.Incarnation}:{reason.Message}");
        base.PostRestart(reason);
    }
}
