using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Scheduling;

/// <summary>
/// The timers of one actor (<see cref="ITimerScheduler"/>). Each start gets a new generation; a timer message is
/// delivered only if its key still maps to the same generation, which is how a cancelled or replaced timer's message
/// that is already queued gets dropped (semantics items 40-42).
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> _timers = [];
    private int _generation;

    public IReadOnlyCollection<object> ActiveTimers => [.. _timers.Keys];

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) =>
        Start(key, msg, timeout, Timeout.InfiniteTimeSpan, null);

    public void StartSingleTimer(object key, object msg, TimeSpan timeout, IActorRef? sender) =>
        Start(key, msg, timeout, Timeout.InfiniteTimeSpan, sender);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => Start(key, msg, interval, interval, null);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) =>
        Start(key, msg, initialDelay, interval, null);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval, IActorRef? sender) =>
        Start(key, msg, initialDelay, interval, sender);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Cancelable.Cancel();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Cancelable.Cancel();
        }

        _timers.Clear();
    }

    /// <summary>The payload to deliver, or <see langword="null"/> when the timer was cancelled or replaced.</summary>
    public object? Intercept(TimerMessage message)
    {
        if (!_timers.TryGetValue(message.Key, out var entry) || entry.Generation != message.Generation)
        {
            return null;
        }

        if (!entry.Repeat)
        {
            _timers.Remove(message.Key);
        }

        return message.Message;
    }

    private void Start(object key, object msg, TimeSpan delay, TimeSpan interval, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        Cancel(key);
        var generation = ++_generation;
        var repeat = interval != Timeout.InfiniteTimeSpan;
        var scheduler = (DefaultScheduler)cell.SystemImpl.Scheduler;
        var timerMessage = new TimerMessage(key, generation, msg);
        var cancelable = scheduler.ScheduleTell(delay, repeat ? interval : Timeout.InfiniteTimeSpan, cell.Self, timerMessage, sender);
        _timers[key] = new TimerEntry(generation, repeat, cancelable);
    }

    private sealed record TimerEntry(int Generation, bool Repeat, ICancelable Cancelable);
}

/// <summary>A timer's message on its way through the mailbox.</summary>
internal sealed class TimerMessage(object key, int generation, object message) : IAutoReceivedMessage
{
    public object Key { get; } = key;

    public int Generation { get; } = generation;

    public object Message { get; } = message;

    public bool InfluencesReceiveTimeout => Message is not INotInfluenceReceiveTimeout;

    public override string ToString() => $"Timer({Key}): {Message}";
}
