namespace ActorSync.Actors.Internal;

/// <summary>The stash of one actor instance.</summary>
internal sealed class ActorStash(ActorCell cell, int capacity) : IStash
{
    private readonly LinkedList<Envelope> _stash = new();
    private long _lastStashedInvocation = -1;

    public int Count => _stash.Count;

    public bool IsEmpty => _stash.Count == 0;

    public bool NonEmpty => _stash.Count > 0;

    public bool IsFull => capacity >= 0 && _stash.Count >= capacity;

    public int Capacity => capacity;

    public void Stash()
    {
        var envelope = cell.CurrentEnvelope;
        if (envelope.Message is null)
        {
            throw new IllegalStateException("There is no current message to stash.");
        }

        if (_lastStashedInvocation == cell.Invocation)
        {
            throw new IllegalStateException($"Can't stash the same message {envelope.Message} more than once.");
        }

        if (IsFull)
        {
            throw new StashOverflowException($"Couldn't stash message {envelope.Message} in {cell.Self}: the stash is full ({capacity}).");
        }

        _stash.AddLast(envelope);
        _lastStashedInvocation = cell.Invocation;
        if (envelope.Message is Terminated terminated)
        {
            // Delivered again as a normal Terminated when unstashed (semantics item 50).
            cell.TerminatedQueuedFor(terminated.ActorRef, null);
        }
    }

    public void Unstash()
    {
        if (_stash.First is { } first)
        {
            _stash.RemoveFirst();
            cell.Mailbox.Prepend([first.Value]);
        }
    }

    public void UnstashAll()
    {
        if (_stash.Count == 0)
        {
            return;
        }

        var envelopes = _stash.ToArray();
        _stash.Clear();
        cell.Mailbox.Prepend(envelopes);
    }

    public void UnstashAll(Func<Envelope, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var selected = new List<Envelope>();
        var node = _stash.First;
        while (node is not null)
        {
            var next = node.Next;
            if (predicate(node.Value))
            {
                selected.Add(node.Value);
                _stash.Remove(node);
            }

            node = next;
        }

        cell.Mailbox.Prepend(selected);
    }

    public IEnumerable<Envelope> ClearStash()
    {
        var envelopes = _stash.ToArray();
        _stash.Clear();
        return envelopes;
    }

    public void Prepend(IEnumerable<Envelope> envelopes)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        foreach (var envelope in envelopes.Reverse())
        {
            _stash.AddFirst(envelope);
        }
    }
}
