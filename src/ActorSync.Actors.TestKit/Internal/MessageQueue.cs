namespace ActorSync.Actors.TestKit.Internal;

/// <summary>The queue between a TestActor and the test: blocking take with timeout, and put-back at the front.</summary>
internal sealed class MessageQueue
{
    private readonly LinkedList<MessageEnvelope> _queue = new();

    public int Count
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(MessageEnvelope envelope)
    {
        lock (_queue)
        {
            _queue.AddLast(envelope);
            Monitor.PulseAll(_queue);
        }
    }

    public void AddFirst(MessageEnvelope envelope)
    {
        lock (_queue)
        {
            _queue.AddFirst(envelope);
            Monitor.PulseAll(_queue);
        }
    }

    public bool TryTake(TimeSpan timeout, CancellationToken cancellationToken, out MessageEnvelope? envelope)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(() =>
            {
                lock (_queue)
                {
                    Monitor.PulseAll(_queue);
                }
            })
            : default;
        lock (_queue)
        {
            while (_queue.Count == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    envelope = null;
                    return false;
                }

                Monitor.Wait(_queue, (int)Math.Min(left, int.MaxValue));
            }

            envelope = _queue.First!.Value;
            _queue.RemoveFirst();
            return true;
        }
    }
}
