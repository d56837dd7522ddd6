namespace ActorSync.Actors;

/// <summary>A message together with its sender, as it sits in a mailbox or a stash.</summary>
public readonly struct Envelope
{
    /// <summary>Creates an envelope.</summary>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender, or <see cref="ActorRefs.NoSender"/>.</param>
    public Envelope(object message, IActorRef? sender)
    {
        Message = message;
        Sender = sender;
    }

    /// <summary>The message.</summary>
    public object Message { get; }

    /// <summary>The sender, or <see cref="ActorRefs.NoSender"/>.</summary>
    public IActorRef? Sender { get; }

    /// <inheritdoc />
    public override string ToString() => $"<{Message}> from {Sender?.ToString() ?? "NoSender"}";
}
