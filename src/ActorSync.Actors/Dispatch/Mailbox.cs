using System.Collections.Concurrent;
using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Dispatch;

/// <summary>
/// An actor's two queues and its scheduling state. Any thread may post; at most one thread runs the mailbox at a time
/// (the <see cref="ScheduledFlag"/> bit is the lock), processing all system messages and then up to a throughput batch
/// of user messages per turn on the thread pool.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int ScheduledFlag = 1;
    private const int ClosedFlag = 2;
    private const int SuspendUnit = 4;

    private readonly ConcurrentQueue<Envelope> _userQueue = new();
    private readonly ConcurrentQueue<SystemMessage> _systemQueue = new();
    private readonly int _throughput;
    private ActorCell _cell = null!;

    // Messages put back at the front (UnstashAll). Only the thread running the mailbox touches it.
    private LinkedList<Envelope>? _front;

    // Bit 0: scheduled (a turn is queued or running); bit 1: closed; bits 2+: suspend count.
    private int _status;

    // Set after every system enqueue, cleared before draining: a cheap "maybe non-empty" the hot loop can poll.
    private volatile int _hasSystemMessages;

    public Mailbox(int throughput)
    {
        _throughput = throughput;
    }

    public bool IsClosed => (Volatile.Read(ref _status) & ClosedFlag) != 0;

    public bool IsSuspended => Volatile.Read(ref _status) >= SuspendUnit;

    public void Attach(ActorCell cell) => _cell = cell;

    public void Post(Envelope envelope)
    {
        _userQueue.Enqueue(envelope);
        var status = Volatile.Read(ref _status);
        if ((status & ClosedFlag) != 0)
        {
            // Closed after (or while) we enqueued: whatever is left is a dead letter, exactly once.
            DrainUserQueue();
            return;
        }

        if (status == 0)
        {
            TrySchedule(forSystem: false);
        }
    }

    public void PostSystem(SystemMessage message)
    {
        _systemQueue.Enqueue(message);
        Interlocked.Exchange(ref _hasSystemMessages, 1);
        if (IsClosed)
        {
            DrainSystemQueue();
            return;
        }

        TrySchedule(forSystem: true);
    }

    /// <summary>Stops user processing until a matching <see cref="Resume"/>; calls nest.</summary>
    public void Suspend() => Interlocked.Add(ref _status, SuspendUnit);

    public void Resume()
    {
        var status = Interlocked.Add(ref _status, -SuspendUnit);
        if (status < 0)
        {
            throw new InvalidOperationException("Mailbox resumed more often than suspended.");
        }

        // Called from the running turn; the turn's epilogue reschedules if messages are waiting.
    }

    /// <summary>Puts <paramref name="envelopes"/> at the front of the user queue, keeping their order.</summary>
    public void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0)
        {
            return;
        }

        _front ??= new LinkedList<Envelope>();
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            _front.AddFirst(envelopes[i]);
        }
    }

    /// <summary>Closes the mailbox: queued user messages become dead letters, queued system messages get their dead handling.</summary>
    public void Close()
    {
        Interlocked.Or(ref _status, ClosedFlag);
        if (_front is not null)
        {
            foreach (var envelope in _front)
            {
                _cell.SendDeadLetter(envelope);
            }

            _front = null;
        }

        DrainUserQueue();
        DrainSystemQueue();
    }

    public void Execute()
    {
        var previous = ActorCell.Current;
        ActorCell.Current = _cell;
        try
        {
            // System messages first: supervision and death watch must not wait behind user traffic.
            ProcessSystemMessages();
            ProcessUserMessages();
        }
        finally
        {
            ActorCell.Current = previous;
            Interlocked.And(ref _status, ~ScheduledFlag);
            if (_hasSystemMessages != 0)
            {
                TrySchedule(forSystem: true);
            }
            else if (HasUserMessages)
            {
                TrySchedule(forSystem: false);
            }
        }
    }

    private bool HasUserMessages => !_userQueue.IsEmpty || _front is { Count: > 0 };

    private void ProcessUserMessages()
    {
        var left = _throughput;
        while (left-- > 0)
        {
            // Suspended or closed (any bit besides "scheduled"): stop taking user messages.
            if ((Volatile.Read(ref _status) & ~ScheduledFlag) != 0)
            {
                return;
            }

            Envelope envelope;
            if (_front is { Count: > 0 } front)
            {
                envelope = front.First!.Value;
                front.RemoveFirst();
            }
            else if (!_userQueue.TryDequeue(out envelope))
            {
                return;
            }

            _cell.Invoke(envelope);
            if (_hasSystemMessages != 0)
            {
                ProcessSystemMessages();
            }
        }
    }

    private void ProcessSystemMessages()
    {
        // Cleared (with a full fence) before draining: a message posted meanwhile sets it again, so none is overlooked.
        if (_hasSystemMessages == 0 || Interlocked.Exchange(ref _hasSystemMessages, 0) == 0)
        {
            return;
        }

        while (!IsClosed && _systemQueue.TryDequeue(out var message))
        {
            _cell.SystemInvoke(message);
        }
    }

    private void TrySchedule(bool forSystem)
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if ((status & (ScheduledFlag | ClosedFlag)) != 0)
            {
                return;
            }

            if (!forSystem && status >= SuspendUnit)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _status, status | ScheduledFlag, status) == status)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    private void DrainUserQueue()
    {
        while (_userQueue.TryDequeue(out var envelope))
        {
            _cell.SendDeadLetter(envelope);
        }
    }

    private void DrainSystemQueue()
    {
        while (_systemQueue.TryDequeue(out var message))
        {
            DeadSystemMessages.Handle(_cell.SelfRef, message);
        }
    }
}
