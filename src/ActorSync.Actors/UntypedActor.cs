using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>An actor that receives every message in <see cref="OnReceive"/> and calls <c>Unhandled</c> for the ones it does not want.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>The context of the actor on the current execution.</summary>
    /// <exception cref="NotSupportedException">Called outside the actor's execution.</exception>
    protected static new IUntypedActorContext Context => ActorCell.Current ?? throw ActorCell.NoContext();

    /// <summary>Handles a message.</summary>
    /// <param name="message">The message.</param>
    protected abstract void OnReceive(object message);

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the current behaviour.</summary>
    /// <param name="receive">The new behaviour.</param>
    protected void Become(UntypedReceive receive) => Cell.Become(receive);

    /// <summary>Pushes a behaviour on the stack.</summary>
    /// <param name="receive">The new behaviour.</param>
    protected void BecomeStacked(UntypedReceive receive) => Cell.BecomeStacked(receive);

    /// <summary>
    /// Runs an async operation as part of the current message: no other message is processed until it completes, and
    /// an exception it throws fails the actor.
    /// </summary>
    /// <param name="action">The operation.</param>
    protected void RunTask(Func<Task> action) => Cell.RunTask(action);
}
