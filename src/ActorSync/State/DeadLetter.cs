namespace ActorSync.State;

/// <summary>A key that the target refused, as <c>actorsync.dead_letters</c> records it (issue #19).</summary>
/// <param name="Key">The key as JSON: column name to value.</param>
/// <param name="Error">The target's error message.</param>
/// <param name="SqlState">The error's SQLSTATE.</param>
/// <param name="FirstSeen">When the key was first refused.</param>
/// <param name="LastSeen">When it was last refused.</param>
/// <param name="Attempts">How many times it was refused.</param>
public sealed record DeadLetter(string Key, string Error, string SqlState, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Attempts);
