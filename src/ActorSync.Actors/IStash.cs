namespace ActorSync.Actors;

/// <summary>
/// Sets messages aside to handle later. <see cref="Stash"/> keeps the current message; <see cref="UnstashAll()"/> puts
/// everything back at the front of the mailbox in the original order. Only usable on the actor's own execution.
/// </summary>
public interface IStash
{
    /// <summary>The number of stashed messages.</summary>
    public int Count { get; }

    /// <summary>Whether nothing is stashed.</summary>
    public bool IsEmpty { get; }

    /// <summary>Whether something is stashed.</summary>
    public bool NonEmpty { get; }

    /// <summary>Whether a bounded stash is full.</summary>
    public bool IsFull { get; }

    /// <summary>The capacity; -1 when unbounded.</summary>
    public int Capacity { get; }

    /// <summary>Stashes the current message.</summary>
    /// <exception cref="IllegalStateException">The current message is already stashed.</exception>
    /// <exception cref="StashOverflowException">A bounded stash is full.</exception>
    public void Stash();

    /// <summary>Puts the oldest stashed message back at the front of the mailbox.</summary>
    public void Unstash();

    /// <summary>Puts every stashed message back at the front of the mailbox, in order; the stash is empty afterwards.</summary>
    public void UnstashAll();

    /// <summary>Puts the stashed messages that match back at the front of the mailbox, in order; the rest stay.</summary>
    /// <param name="predicate">Which envelopes to unstash.</param>
    public void UnstashAll(Func<Envelope, bool> predicate);

    /// <summary>Empties the stash and returns what it held, without delivering it.</summary>
    public IEnumerable<Envelope> ClearStash();

    /// <summary>Adds envelopes at the front of the stash.</summary>
    /// <param name="envelopes">The envelopes, in order.</param>
    public void Prepend(IEnumerable<Envelope> envelopes);
}

/// <summary>An actor with a stash; the kernel sets <see cref="Stash"/> when the instance is created.</summary>
public interface IActorStash
{
    /// <summary>The stash, set by the kernel.</summary>
    public IStash Stash { get; set; }
}

/// <summary>An actor with a stash whose capacity comes from <see cref="Props.WithStashCapacity"/> (unbounded by default).</summary>
public interface IWithStash : IActorStash
{
}

/// <summary>An actor with an unbounded stash.</summary>
public interface IWithUnboundedStash : IActorStash
{
}
