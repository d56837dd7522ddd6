namespace ActorSync.Configuration;

/// <summary>What a sync does with a row its target refuses (a constraint, a trigger, a value out of range; issue #19).</summary>
public enum OnApplyError
{
    /// <summary><c>retry</c>: the batch fails and is retried with backoff until the target accepts it or a person acts.</summary>
    Retry,

    /// <summary>
    /// <c>dead-letter</c>: the batch is split until the refused keys are isolated; they are recorded in
    /// <c>actorsync.dead_letters</c> on the target and the rest of the batch applies.
    /// </summary>
    DeadLetter,
}
