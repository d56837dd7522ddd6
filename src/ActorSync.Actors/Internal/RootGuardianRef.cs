using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

/// <summary>
/// The parent of the guardians. It is not an actor: it turns a guardian's failure into stopping that guardian, and a
/// guardian's termination into the next step of system termination.
/// </summary>
internal sealed class RootGuardianRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override bool IsTerminated => System.WhenTerminated.IsCompleted;

    public override IInternalActorRef? Parent => null;

    public override void Tell(object message, IActorRef? sender) => System.PublishDeadLetter(message, sender, this);

    public override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Failed failed:
                System.OnGuardianFailed(failed.Child, failed.Cause);
                break;
            case DeathWatchNotification notification:
                System.OnGuardianTerminated(notification.Actor);
                break;
            default:
                DeadSystemMessages.Handle(this, message);
                break;
        }
    }
}
