namespace ActorSync.Actors;

/// <summary>A wake-up for one sync: its source wrote changes while its replicator waited (listener to replicator).</summary>
public sealed record ChangesPending(string Sync);

/// <summary>Notifications may have been missed (the listener (re)connected): look at the delta now.</summary>
public sealed record CatchUpNeeded
{
    public static readonly CatchUpNeeded Instance = new();
}

/// <summary>Asked by an idle replicator: take my wake-up lock so writers notify me. Answered by <see cref="WakeUpArmed"/>.</summary>
public sealed record WakeUpWanted(string Sync);

/// <summary>The answer to <see cref="WakeUpWanted"/>: false while a writer is in flight or the listener is not connected.</summary>
public sealed record WakeUpArmed(bool Armed);

/// <summary>A replicator is busy again: release its wake-up lock so writers stop notifying.</summary>
public sealed record WakeUpNotWanted(string Sync);

/// <summary>Asks the listener for its <see cref="ListenerStatus"/>.</summary>
public sealed record ListenerStatusRequested
{
    public static readonly ListenerStatusRequested Instance = new();
}

/// <summary>One listener's state: one per source database.</summary>
public sealed record ListenerStatus(string Database, bool Connected, DateTimeOffset? LastNotificationAt, int Reconnects, string? LastError);
