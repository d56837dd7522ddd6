namespace ActorSync.Actors.Internal;

/// <summary>The user and system guardians: they only supervise; every message sent to them is unhandled.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
