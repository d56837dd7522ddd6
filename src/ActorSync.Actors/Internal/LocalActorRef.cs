using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

/// <summary>The reference of a local actor: posts to its cell's mailbox.</summary>
internal sealed class LocalActorRef(ActorSystem system, ActorPath path, IInternalActorRef parent) : ActorRefBase
{
    private ActorCell _cell = null!;

    public ActorCell Cell => _cell;

    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override bool IsTerminated => _cell.Mailbox.IsClosed;

    public override IInternalActorRef Parent { get; } = parent;

    public void Attach(ActorCell cell) => _cell = cell;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is null)
        {
            throw new InvalidMessageException("Message is null.");
        }

        _cell.Mailbox.Post(new Envelope(message, sender));
    }

    public override void SendSystemMessage(SystemMessage message) => _cell.Mailbox.PostSystem(message);

    public override void Stop() => _cell.Mailbox.PostSystem(Terminate.Instance);
}
