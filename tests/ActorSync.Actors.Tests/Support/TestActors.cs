namespace ActorSync.Actors.Tests.Support;

/// <summary>Replies to every message with the same message.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor()
    {
        ReceiveAny(message => Sender.Tell(message, Self));
    }
}

/// <summary>Reports its lifecycle hooks to a probe as strings ("PreStart", "PostStop", ...), and fails on command.</summary>
public class LifecycleActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private readonly string _id;

    public LifecycleActor(IActorRef probe, string id = "")
    {
        _probe = probe;
        _id = id;
        Receive<Exception>(e => throw e);
        Receive<string>(s => s == "ping", _ => Sender.Tell("pong" + _id, Self));
        ReceiveAny(m => _probe.Tell(m, Self));
    }

    protected override void PreStart() => _probe.Tell("PreStart" + _id);

    protected override void PostStop() => _probe.Tell("PostStop" + _id);

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell("PreRestart" + _id);
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell("PostRestart" + _id);
        base.PostRestart(reason);
    }
}

/// <summary>Creates children on request and supervises them with a given strategy.</summary>
public sealed class SupervisorActor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public SupervisorActor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<Props>(props => Sender.Tell(Context.ActorOf(props), Self));
        Receive<(Props Props, string Name)>(request => Sender.Tell(Context.ActorOf(request.Props, request.Name), Self));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

/// <summary>A failure used by tests.</summary>
public sealed class TestException(string message) : Exception(message);
