namespace ActorSync.Actors.Event;

/// <summary>Base of the dead-letter events: a message that could not be delivered.</summary>
public abstract class AllDeadLetters
{
    private protected AllDeadLetters(object message, IActorRef sender, IActorRef recipient)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(recipient);
        Message = message;
        Sender = sender;
        Recipient = recipient;
    }

    /// <summary>The undelivered message.</summary>
    public object Message { get; }

    /// <summary>Its sender (dead letters when there was none).</summary>
    public IActorRef Sender { get; }

    /// <summary>The intended recipient.</summary>
    public IActorRef Recipient { get; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} from {Sender} to {Recipient}: <{Message}>";
}

/// <summary>Published on the event stream for a message sent to a stopped actor, or to dead letters directly.</summary>
public sealed class DeadLetter : AllDeadLetters
{
    /// <summary>Creates the event.</summary>
    /// <param name="message">The undelivered message.</param>
    /// <param name="sender">Its sender.</param>
    /// <param name="recipient">The intended recipient.</param>
    public DeadLetter(object message, IActorRef sender, IActorRef recipient)
        : base(message, sender, recipient)
    {
    }
}

/// <summary>A dead letter of a message marked <see cref="IDeadLetterSuppression"/>: published, but not logged.</summary>
public sealed class SuppressedDeadLetter : AllDeadLetters
{
    /// <summary>Creates the event.</summary>
    /// <param name="message">The undelivered message.</param>
    /// <param name="sender">Its sender.</param>
    /// <param name="recipient">The intended recipient.</param>
    public SuppressedDeadLetter(IDeadLetterSuppression message, IActorRef sender, IActorRef recipient)
        : base(message, sender, recipient)
    {
    }
}

/// <summary>
/// Marks a message whose dead letters are expected and not worth logging: they are published as
/// <see cref="SuppressedDeadLetter"/> instead of <see cref="DeadLetter"/>.
/// </summary>
public interface IDeadLetterSuppression
{
}
