using ActorSync.Actors.Dispatch;
using ActorSync.Actors.Event;

namespace ActorSync.Actors.Internal;

/// <summary>The system's dead letters: everything sent here is published on the event stream as a dead letter.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override bool IsTerminated => false;

    public override IInternalActorRef? Parent => null;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is null)
        {
            throw new InvalidMessageException("Message is null.");
        }

        if (message is DeadLetter deadLetter)
        {
            System.EventStream.Publish(deadLetter);
            return;
        }

        System.PublishDeadLetter(message, sender, this);
    }

    public override void SendSystemMessage(SystemMessage message) => DeadSystemMessages.Handle(this, message);
}
