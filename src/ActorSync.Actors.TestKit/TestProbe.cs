namespace ActorSync.Actors.TestKit;

/// <summary>
/// A stand-alone test participant: its own TestActor (<see cref="Ref"/>), queue and <c>Within</c> deadlines. Pass
/// <see cref="Ref"/> where an actor expects a collaborator, then assert on what it received.
/// </summary>
public sealed class TestProbe : TestKitBase, ICanTell
{
    /// <summary>Creates a probe in <paramref name="system"/>, with the default TestKit settings.</summary>
    /// <param name="system">The actor system.</param>
    /// <param name="name">The probe actor's name; generated when <see langword="null"/>.</param>
    public TestProbe(ActorSystem system, string? name = null)
        : this(system, TestKitSettings.Default, name)
    {
    }

    internal TestProbe(ActorSystem system, TestKitSettings settings, string? name)
        : base(system, settings, name)
    {
    }

    /// <summary>The probe's reference.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>The sender of the last message received (same as <see cref="TestKitBase.LastSender"/>).</summary>
    public IActorRef Sender => LastSender;

    /// <summary>Sends a message to the probe.</summary>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the probe sees.</param>
    public void Tell(object message, IActorRef? sender) => Ref.Tell(message, sender);

    /// <summary>Sends <paramref name="message"/> to <paramref name="actor"/> with the probe as sender.</summary>
    /// <param name="actor">The receiver.</param>
    /// <param name="message">The message.</param>
    public void Send(IActorRef actor, object message)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Tell(message, Ref);
    }

    /// <inheritdoc />
    public override string ToString() => $"TestProbe({Ref.Path})";
}
