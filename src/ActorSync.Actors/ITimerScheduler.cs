namespace ActorSync.Actors;

/// <summary>
/// Timers owned by an actor, identified by key. Starting a timer with a key in use replaces it; a cancelled or
/// replaced timer's message is never delivered, even if it is already queued. All timers are cancelled when the actor
/// restarts or stops. Only usable on the actor's own execution.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="msg"/> to the actor once after <paramref name="timeout"/>.</summary>
    /// <param name="key">The timer's key.</param>
    /// <param name="msg">The message.</param>
    /// <param name="timeout">The delay.</param>
    public void StartSingleTimer(object key, object msg, TimeSpan timeout);

    /// <summary>Sends <paramref name="msg"/> with <paramref name="sender"/> to the actor once after <paramref name="timeout"/>.</summary>
    /// <param name="key">The timer's key.</param>
    /// <param name="msg">The message.</param>
    /// <param name="timeout">The delay.</param>
    /// <param name="sender">The sender the actor sees.</param>
    public void StartSingleTimer(object key, object msg, TimeSpan timeout, IActorRef? sender);

    /// <summary>Sends <paramref name="msg"/> to the actor every <paramref name="interval"/> until cancelled.</summary>
    /// <param name="key">The timer's key.</param>
    /// <param name="msg">The message.</param>
    /// <param name="interval">The period, also the first delay.</param>
    public void StartPeriodicTimer(object key, object msg, TimeSpan interval);

    /// <summary>Sends <paramref name="msg"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    /// <param name="key">The timer's key.</param>
    /// <param name="msg">The message.</param>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Sends <paramref name="msg"/> with <paramref name="sender"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    /// <param name="key">The timer's key.</param>
    /// <param name="msg">The message.</param>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="sender">The sender the actor sees.</param>
    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval, IActorRef? sender);

    /// <summary>Whether a timer with <paramref name="key"/> is pending.</summary>
    /// <param name="key">The timer's key.</param>
    public bool IsTimerActive(object key);

    /// <summary>The keys of the pending timers.</summary>
    public IReadOnlyCollection<object> ActiveTimers { get; }

    /// <summary>Cancels the timer with <paramref name="key"/>, including a message of it that is already queued.</summary>
    /// <param name="key">The timer's key.</param>
    public void Cancel(object key);

    /// <summary>Cancels every timer.</summary>
    public void CancelAll();
}

/// <summary>An actor with timers; the kernel sets <see cref="Timers"/> when the instance is created.</summary>
public interface IWithTimers
{
    /// <summary>The actor's timers, set by the kernel.</summary>
    public ITimerScheduler Timers { get; set; }
}
