using ActorSync.Actors.Event;
using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Delivered to an actor that watches another (<see cref="ICanWatch.Watch"/>) when the watched actor has stopped.
/// An actor that watches but does not handle it fails with <see cref="DeathPactException"/>.
/// </summary>
public sealed class Terminated : IAutoReceivedMessage, IDeadLetterSuppression, IEquatable<Terminated>
{
    /// <summary>Creates the notification.</summary>
    /// <param name="actorRef">The actor that stopped.</param>
    /// <param name="existenceConfirmed">Whether the actor was known to exist when the watch was set.</param>
    /// <param name="addressTerminated">Whether its address went away (never, for local actors).</param>
    public Terminated(IActorRef actorRef, bool existenceConfirmed, bool addressTerminated)
    {
        ArgumentNullException.ThrowIfNull(actorRef);
        ActorRef = actorRef;
        ExistenceConfirmed = existenceConfirmed;
        AddressTerminated = addressTerminated;
    }

    /// <summary>The actor that stopped.</summary>
    public IActorRef ActorRef { get; }

    /// <summary>Whether the actor was known to exist when the watch was set.</summary>
    public bool ExistenceConfirmed { get; }

    /// <summary>Whether its address went away; always <see langword="false"/> for local actors.</summary>
    public bool AddressTerminated { get; }

    /// <inheritdoc />
    public bool Equals(Terminated? other) =>
        other is not null && ActorRef.Equals(other.ActorRef) && ExistenceConfirmed == other.ExistenceConfirmed &&
        AddressTerminated == other.AddressTerminated;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Terminated);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ActorRef, ExistenceConfirmed, AddressTerminated);

    /// <inheritdoc />
    public override string ToString() => $"<Terminated>: {ActorRef} - ExistenceConfirmed={ExistenceConfirmed}";
}
