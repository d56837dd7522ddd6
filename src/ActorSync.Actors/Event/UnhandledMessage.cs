namespace ActorSync.Actors.Event;

/// <summary>Published on the event stream when no behaviour of an actor handled a message. The actor does not fail.</summary>
public sealed class UnhandledMessage
{
    /// <summary>Creates the event.</summary>
    /// <param name="message">The unhandled message.</param>
    /// <param name="sender">Its sender.</param>
    /// <param name="recipient">The actor that did not handle it.</param>
    public UnhandledMessage(object message, IActorRef sender, IActorRef recipient)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
        Sender = sender;
        Recipient = recipient;
    }

    /// <summary>The unhandled message.</summary>
    public object Message { get; }

    /// <summary>Its sender.</summary>
    public IActorRef Sender { get; }

    /// <summary>The actor that did not handle it.</summary>
    public IActorRef Recipient { get; }

    /// <inheritdoc />
    public override string ToString() => $"Unhandled message from {Sender} to {Recipient}: <{Message}>";
}
