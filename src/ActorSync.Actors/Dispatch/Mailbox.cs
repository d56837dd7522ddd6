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
    private readonly int _throughput;
    private ActorCell _cell = null!;

    // Messages put back at the front (UnstashAll). Only the thread running the mailbox touches it.
    private LinkedList<Envelope>? _front;

    // Bit 0: scheduled (a turn is queued or running); bit 1: closed; bits 2+: suspend count.
    private int _status;

    // System messages: a lock-free stack that posters push onto (newest first), taken whole by the mailbox's turn and
    // reversed into _systemBatch (oldest first). No per-actor queue segment, and "any system message?" is one read.
    private SystemNode? _systemHead;
    private SystemNode? _systemBatch;

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
        var node = new SystemNode(message);
        SystemNode? head;
        do
        {
            head = Volatile.Read(ref _systemHead);
            node.Next = head;
        }
        while (Interlocked.CompareExchange(ref _systemHead, node, head) != head);

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
        for (var node = _systemBatch; node is not null; node = node.Next)
        {
            DeadSystemMessages.Handle(_cell.SelfRef, node.Message);
        }

        _systemBatch = null;
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
            if (HasSystemMessages)
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

    private bool HasSystemMessages => _systemBatch is not null || Volatile.Read(ref _systemHead) is not null;

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
            if (HasSystemMessages)
            {
                ProcessSystemMessages();
            }
        }
    }

    private void ProcessSystemMessages()
    {
        while (!IsClosed)
        {
            if (_systemBatch is null)
            {
                var taken = Interlocked.Exchange(ref _systemHead, null);
                if (taken is null)
                {
                    return;
                }

                _systemBatch = Reverse(taken);
            }

            var node = _systemBatch;
            _systemBatch = node.Next;
            _cell.SystemInvoke(node.Message);
        }
    }

    private static SystemNode Reverse(SystemNode newestFirst)
    {
        SystemNode? oldestFirst = null;
        var node = newestFirst;
        while (node is not null)
        {
            var next = node.Next;
            node.Next = oldestFirst;
            oldestFirst = node;
            node = next;
        }

        return oldestFirst!;
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
        // Each poster or closer takes a disjoint part of the stack, so every message gets its dead handling once.
        var taken = Interlocked.Exchange(ref _systemHead, null);
        for (var node = taken is null ? null : Reverse(taken); node is not null; node = node.Next)
        {
            DeadSystemMessages.Handle(_cell.SelfRef, node.Message);
        }
    }

    private sealed class SystemNode(SystemMessage message)
    {
        public SystemMessage Message { get; } = message;

        public SystemNode? Next { get; set; }
    }
}
