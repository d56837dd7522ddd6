namespace ActorSync.Actors;

/// <summary>Schedules messages. Scheduled work stops when the system terminates.</summary>
public interface ITellScheduler
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay.</param>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>As <see cref="ScheduleTellOnce(TimeSpan, ICanTell, object, IActorRef)"/>, cancelled by <paramref name="cancelable"/>.</summary>
    /// <param name="delay">The delay.</param>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    /// <param name="cancelable">Cancels the delivery.</param>
    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender, ICancelable cancelable);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>As <see cref="ScheduleTellRepeatedly(TimeSpan, TimeSpan, ICanTell, object, IActorRef)"/>, cancelled by <paramref name="cancelable"/>.</summary>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    /// <param name="cancelable">Cancels the deliveries.</param>
    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender, ICancelable cancelable);
}

/// <summary>Schedules actions. An action runs on the thread pool, not inside any actor.</summary>
public interface IActionScheduler
{
    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay.</param>
    /// <param name="action">The action.</param>
    public void ScheduleOnce(TimeSpan delay, Action action);

    /// <summary>As <see cref="ScheduleOnce(TimeSpan, Action)"/>, cancelled by <paramref name="cancelable"/>.</summary>
    /// <param name="delay">The delay.</param>
    /// <param name="action">The action.</param>
    /// <param name="cancelable">Cancels the action.</param>
    public void ScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable);

    /// <summary>Runs <paramref name="action"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="action">The action.</param>
    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action);

    /// <summary>As <see cref="ScheduleRepeatedly(TimeSpan, TimeSpan, Action)"/>, cancelled by <paramref name="cancelable"/>.</summary>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="action">The action.</param>
    /// <param name="cancelable">Cancels the action.</param>
    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable);
}

/// <summary>The system's scheduler (<see cref="ActorSystem.Scheduler"/>).</summary>
public interface IScheduler : ITellScheduler, IActionScheduler
{
    /// <summary>The current time.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>A monotonic clock: time elapsed since the scheduler started.</summary>
    public TimeSpan MonotonicClock { get; }
}
