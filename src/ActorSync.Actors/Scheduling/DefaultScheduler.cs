using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorSync.Actors.Scheduling;

/// <summary>
/// The system scheduler, built on <see cref="System.Threading.Timer"/> (the runtime's timer queue). It tracks what is
/// pending so that shutting the system down cancels it all; scheduling after shutdown does nothing.
/// </summary>
internal sealed class DefaultScheduler : IScheduler
{
    private readonly ConcurrentDictionary<ScheduledItem, byte> _active = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private volatile bool _shutdown;

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(_start);

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        ScheduleTell(delay, Timeout.InfiniteTimeSpan, receiver, message, sender);

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender, ICancelable cancelable) =>
        Link(cancelable, ScheduleTell(delay, Timeout.InfiniteTimeSpan, receiver, message, sender));

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender) =>
        ScheduleTell(initialDelay, CheckInterval(interval), receiver, message, sender);

    public void ScheduleTellRepeatedly(
        TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender, ICancelable cancelable) =>
        Link(cancelable, ScheduleTell(initialDelay, CheckInterval(interval), receiver, message, sender));

    public void ScheduleOnce(TimeSpan delay, Action action) => Schedule(delay, Timeout.InfiniteTimeSpan, action);

    public void ScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Link(cancelable, Schedule(delay, Timeout.InfiniteTimeSpan, action));

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action) =>
        Schedule(initialDelay, CheckInterval(interval), action);

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Link(cancelable, Schedule(initialDelay, CheckInterval(interval), action));

    public ScheduledItem ScheduleTell(TimeSpan delay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        return Schedule(delay, interval, () => receiver.Tell(message, sender));
    }

    public ScheduledItem Schedule(TimeSpan delay, TimeSpan interval, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var item = new ScheduledItem(this, action, interval != Timeout.InfiniteTimeSpan);
        if (_shutdown)
        {
            item.Cancel();
            return item;
        }

        _active.TryAdd(item, 0);
        item.Start(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, interval);
        if (_shutdown)
        {
            // Raced with Shutdown: make sure nothing survives it.
            item.Cancel();
        }

        return item;
    }

    public void Shutdown()
    {
        _shutdown = true;
        foreach (var item in _active.Keys)
        {
            item.Cancel();
        }
    }

    internal void Remove(ScheduledItem item) => _active.TryRemove(item, out _);

    private static TimeSpan CheckInterval(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval of repeated scheduling must be positive.");
        }

        return interval;
    }

    private static void Link(ICancelable cancelable, ScheduledItem item)
    {
        ArgumentNullException.ThrowIfNull(cancelable);
        if (cancelable.IsCancellationRequested)
        {
            item.Cancel();
            return;
        }

        cancelable.Token.Register(static state => ((ScheduledItem)state!).Cancel(), item);
    }
}

/// <summary>One scheduled delivery or action.</summary>
internal sealed class ScheduledItem(DefaultScheduler owner, Action action, bool repeat) : ICancelable
{
    private Timer? _timer;
    private CancellationTokenSource? _tokenSource;
    private int _cancelled;

    public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

    public CancellationToken Token
    {
        get
        {
            if (_tokenSource is null)
            {
                var source = new CancellationTokenSource();
                if (Interlocked.CompareExchange(ref _tokenSource, source, null) is not null)
                {
                    source.Dispose();
                }
                else if (IsCancellationRequested)
                {
                    source.Cancel();
                }
            }

            return _tokenSource!.Token;
        }
    }

    public void Start(TimeSpan delay, TimeSpan interval)
    {
        var timer = new Timer(static state => ((ScheduledItem)state!).Fire(), this, Timeout.Infinite, Timeout.Infinite);
        _timer = timer;
        timer.Change(delay, interval);
        if (IsCancellationRequested)
        {
            timer.Dispose();
        }
    }

    public void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelled, 1) != 0)
        {
            return;
        }

        _timer?.Dispose();
        owner.Remove(this);
        _tokenSource?.Cancel();
    }

    public void CancelAfter(TimeSpan delay) => owner.Schedule(delay, Timeout.InfiniteTimeSpan, Cancel);

    private void Fire()
    {
        if (IsCancellationRequested)
        {
            return;
        }

        if (!repeat)
        {
            Interlocked.Exchange(ref _cancelled, 1);
            _timer?.Dispose();
            owner.Remove(this);
        }

        action();
    }
}
