using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Pattern;

/// <summary>Builds <see cref="BackoffOptions"/>: re-create a child with growing delays when it stops or fails.</summary>
public static class Backoff
{
    /// <summary>
    /// Re-creates the child, after a backoff delay, when it fails with an exception the strategy maps to Restart.
    /// Any other end of the child (a Stop directive, or stopping by itself) stops the backoff supervisor too.
    /// </summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name (the same for every incarnation).</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter: 0.2 adds up to 20 % to each delay.</param>
    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        new(BackoffMode.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor);

    /// <summary>As <see cref="OnFailure(Props, string, TimeSpan, TimeSpan, double)"/>, with a limit on restarts.</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name.</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter factor.</param>
    /// <param name="maxNrOfRetries">Restarts allowed before the supervisor gives up and stops; -1 for unlimited.</param>
    public static BackoffOptions OnFailure(
        Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries) =>
        OnFailure(childProps, childName, minBackoff, maxBackoff, randomFactor).WithMaxNrOfRetries(maxNrOfRetries);

    /// <summary>Re-creates the child, after a backoff delay, whenever it stops, for whatever reason.</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name (the same for every incarnation).</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter: 0.2 adds up to 20 % to each delay.</param>
    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        new(BackoffMode.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor);

    /// <summary>As <see cref="OnStop(Props, string, TimeSpan, TimeSpan, double)"/>, with a limit on restarts.</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name.</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter factor.</param>
    /// <param name="maxNrOfRetries">Restarts allowed before the supervisor gives up and stops; -1 for unlimited.</param>
    public static BackoffOptions OnStop(
        Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries) =>
        OnStop(childProps, childName, minBackoff, maxBackoff, randomFactor).WithMaxNrOfRetries(maxNrOfRetries);
}

/// <summary>
/// The configuration of a backoff supervisor; immutable, each <c>With…</c> returns a copy. Pass it to
/// <see cref="BackoffSupervisor.Props(BackoffOptions)"/> or use <see cref="Props"/>.
/// </summary>
public sealed class BackoffOptions
{
    internal BackoffOptions(BackoffMode mode, Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor)
    {
        ArgumentNullException.ThrowIfNull(childProps);
        ArgumentException.ThrowIfNullOrEmpty(childName);
        if (minBackoff <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(minBackoff), minBackoff, "minBackoff must be positive.");
        }

        if (maxBackoff < minBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBackoff), maxBackoff, "maxBackoff must be at least minBackoff.");
        }

        if (randomFactor is < 0 or > 1 || double.IsNaN(randomFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(randomFactor), randomFactor, "randomFactor must be between 0.0 and 1.0.");
        }

        Mode = mode;
        ChildProps = childProps;
        ChildName = childName;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        RandomFactor = randomFactor;
        ResetBackoff = minBackoff;
        Strategy = (OneForOneStrategy)SupervisorStrategy.DefaultStrategy;
    }

    private BackoffOptions(BackoffOptions other)
    {
        Mode = other.Mode;
        ChildProps = other.ChildProps;
        ChildName = other.ChildName;
        MinBackoff = other.MinBackoff;
        MaxBackoff = other.MaxBackoff;
        RandomFactor = other.RandomFactor;
        ResetBackoff = other.ResetBackoff;
        Strategy = other.Strategy;
        ReplyWhileStopped = other.ReplyWhileStopped;
        FinalStopMessage = other.FinalStopMessage;
    }

    /// <summary>The <see cref="Props"/> of the backoff supervisor these options describe.</summary>
    public Props Props => BackoffSupervisor.Props(this);

    internal BackoffMode Mode { get; }

    internal Props ChildProps { get; }

    internal string ChildName { get; }

    internal TimeSpan MinBackoff { get; }

    internal TimeSpan MaxBackoff { get; }

    internal double RandomFactor { get; }

    /// <summary>The auto-reset window; <see langword="null"/> for manual reset.</summary>
    internal TimeSpan? ResetBackoff { get; private init; }

    internal OneForOneStrategy Strategy { get; private init; }

    internal object? ReplyWhileStopped { get; private init; }

    internal Func<object, bool>? FinalStopMessage { get; private init; }

    /// <summary>Resets the restart count once the child has lived <paramref name="resetBackoff"/> without another restart (the default, with <c>minBackoff</c>).</summary>
    /// <param name="resetBackoff">The window.</param>
    public BackoffOptions WithAutoReset(TimeSpan resetBackoff)
    {
        if (resetBackoff <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(resetBackoff), resetBackoff, "The reset window must be positive.");
        }

        return new BackoffOptions(this) { ResetBackoff = resetBackoff };
    }

    /// <summary>Resets the restart count only on <see cref="BackoffSupervisor.Reset"/>.</summary>
    public BackoffOptions WithManualReset() => new(this) { ResetBackoff = null };

    /// <summary>Supervises the child with <paramref name="supervisorStrategy"/>; its decider and retry limits apply.</summary>
    /// <param name="supervisorStrategy">The strategy.</param>
    public BackoffOptions WithSupervisorStrategy(OneForOneStrategy supervisorStrategy)
    {
        ArgumentNullException.ThrowIfNull(supervisorStrategy);
        return new BackoffOptions(this) { Strategy = supervisorStrategy };
    }

    /// <summary>Supervises the child with <see cref="SupervisorStrategy.StoppingStrategy"/>, keeping the retry limit.</summary>
    public BackoffOptions WithDefaultStoppingStrategy() => new(this)
    {
        Strategy = new OneForOneStrategy(Strategy.MaxNumberOfRetries, Strategy.WithinTimeRangeMilliseconds, _ => Directive.Stop),
    };

    /// <summary>While the child is down, answers every message with <paramref name="replyWhileStopped"/> instead of dropping it.</summary>
    /// <param name="replyWhileStopped">The reply.</param>
    public BackoffOptions WithReplyWhileStopped(object replyWhileStopped)
    {
        ArgumentNullException.ThrowIfNull(replyWhileStopped);
        return new BackoffOptions(this) { ReplyWhileStopped = replyWhileStopped };
    }

    /// <summary>Stops the supervisor instead of restarting once the child has been restarted <paramref name="maxNrOfRetries"/> times.</summary>
    /// <param name="maxNrOfRetries">The limit; -1 for unlimited.</param>
    public BackoffOptions WithMaxNrOfRetries(int maxNrOfRetries) => new(this)
    {
        Strategy = new OneForOneStrategy(maxNrOfRetries, Strategy.WithinTimeRangeMilliseconds, Strategy.Decider.Decide, Strategy.LoggingEnabled),
    };

    /// <summary>A forwarded message matching <paramref name="isFinalStopMessage"/> ends the cycle: when the child then stops, it is not restarted.</summary>
    /// <param name="isFinalStopMessage">The predicate.</param>
    public BackoffOptions WithFinalStopMessage(Func<object, bool> isFinalStopMessage)
    {
        ArgumentNullException.ThrowIfNull(isFinalStopMessage);
        return new BackoffOptions(this) { FinalStopMessage = isFinalStopMessage };
    }
}
