namespace ActorSync.Actors.Internal;

/// <summary>A message the cell handles itself before (or instead of) the actor's behaviour.</summary>
internal interface IAutoReceivedMessage;
