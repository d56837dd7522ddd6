using System.Collections.Concurrent;

namespace ActorSync.Actors.TestKit.Internal;

/// <summary>Shared between a TestKit (or probe) and its TestActor.</summary>
internal sealed class TestActorState
{
    public MessageQueue Queue { get; } = new();

    public ConcurrentDictionary<IActorRef, SupervisorStrategy> ChildStrategies { get; } = new();

    public volatile Func<object, bool>? Ignore;
}

/// <summary>Requests the TestActor to (un)watch an actor on its own turn.</summary>
internal sealed record WatchRequest(IActorRef Subject, bool Watch);

/// <summary>The actor behind <c>TestActor</c> and each probe: queues everything it receives for the test to inspect.</summary>
internal sealed class TestActor(TestActorState state) : ActorBase
{
    protected override bool Receive(object message)
    {
        if (message is WatchRequest request)
        {
            if (request.Watch)
            {
                Context.Watch(request.Subject);
            }
            else
            {
                Context.Unwatch(request.Subject);
            }

            return true;
        }

        if (state.Ignore is { } ignore && ignore(message))
        {
            return true;
        }

        state.Queue.Add(new MessageEnvelope(message, Sender));
        return true;
    }

    internal override SupervisorStrategy? StrategyFor(IActorRef child) =>
        state.ChildStrategies.TryGetValue(child, out var strategy) ? strategy : null;
}
