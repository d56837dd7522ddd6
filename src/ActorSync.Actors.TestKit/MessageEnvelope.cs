namespace ActorSync.Actors.TestKit;

/// <summary>A message received by a TestActor or probe, with its sender.</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">The sender; dead letters when there was none.</param>
public sealed record MessageEnvelope(object Message, IActorRef Sender);
