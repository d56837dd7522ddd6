using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Applies the decider's directive to the failing child only. Restarts are limited to <c>maxNrOfRetries</c> within
/// <c>withinTimeRange</c>; one more failure in the window stops the child instead.
/// </summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; <see langword="null"/> or -1 unlimited, 0 none.</param>
    /// <param name="withinTimeRange">The window; <see langword="null"/> or infinite counts failures for ever.</param>
    /// <param name="localOnlyDecider">Maps an exception to a directive.</param>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider)
        : this(maxNrOfRetries, withinTimeRange, new LocalOnlyDecider(localOnlyDecider))
    {
    }

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; <see langword="null"/> or -1 unlimited, 0 none.</param>
    /// <param name="withinTimeRange">The window; <see langword="null"/> or infinite counts failures for ever.</param>
    /// <param name="decider">Maps an exception to a directive.</param>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
        : base(ToRetries(maxNrOfRetries), ToMilliseconds(withinTimeRange), decider, true)
    {
    }

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; -1 unlimited, 0 none.</param>
    /// <param name="withinTimeMilliseconds">The window in milliseconds; -1 counts failures for ever.</param>
    /// <param name="localOnlyDecider">Maps an exception to a directive.</param>
    /// <param name="loggingEnabled">Whether failures are logged.</param>
    public OneForOneStrategy(int maxNrOfRetries, int withinTimeMilliseconds, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeMilliseconds, new LocalOnlyDecider(localOnlyDecider), loggingEnabled)
    {
    }

    /// <summary>Creates a strategy with unlimited restarts.</summary>
    /// <param name="localOnlyDecider">Maps an exception to a directive.</param>
    /// <param name="loggingEnabled">Whether failures are logged.</param>
    public OneForOneStrategy(Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(-1, -1, new LocalOnlyDecider(localOnlyDecider), loggingEnabled)
    {
    }

    /// <summary>Creates a strategy with unlimited restarts.</summary>
    /// <param name="decider">Maps an exception to a directive.</param>
    public OneForOneStrategy(IDecider decider)
        : base(-1, -1, decider, true)
    {
    }

    internal override void ProcessFailure(
        ActorCell cell, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyList<ChildRestartStats> children)
    {
        if (restart && stats.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRangeMilliseconds))
        {
            cell.RestartChild(child, cause, suspendFirst: false);
        }
        else
        {
            cell.Stop(child);
        }
    }
}
