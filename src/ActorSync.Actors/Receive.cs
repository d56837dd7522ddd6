namespace ActorSync.Actors;

/// <summary>A behaviour: handles <paramref name="message"/> and returns whether it did.</summary>
/// <param name="message">The message to handle.</param>
/// <returns><see langword="true"/> if handled; otherwise the message is unhandled.</returns>
public delegate bool Receive(object message);

/// <summary>A behaviour of an <see cref="UntypedActor"/>: handles every message, calling <c>Unhandled</c> for the ones it does not want.</summary>
/// <param name="message">The message to handle.</param>
public delegate void UntypedReceive(object message);
