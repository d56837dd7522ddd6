using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Applies a Restart or Stop to every child of the supervisor, not only the failing one (Resume applies to the failing
/// child). Restarts are limited as in <see cref="OneForOneStrategy"/>, counted per child.
/// </summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; <see langword="null"/> or -1 unlimited, 0 none.</param>
    /// <param name="withinTimeRange">The window; <see langword="null"/> or infinite counts failures for ever.</param>
    /// <param name="localOnlyDecider">Maps an exception to a directive.</param>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider)
        : this(maxNrOfRetries, withinTimeRange, new LocalOnlyDecider(localOnlyDecider))
    {
    }

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; <see langword="null"/> or -1 unlimited, 0 none.</param>
    /// <param name="withinTimeRange">The window; <see langword="null"/> or infinite counts failures for ever.</param>
    /// <param name="decider">Maps an exception to a directive.</param>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
        : base(ToRetries(maxNrOfRetries), ToMilliseconds(withinTimeRange), decider, true)
    {
    }

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; -1 unlimited, 0 none.</param>
    /// <param name="withinTimeMilliseconds">The window in milliseconds; -1 counts failures for ever.</param>
    /// <param name="localOnlyDecider">Maps an exception to a directive.</param>
    /// <param name="loggingEnabled">Whether failures are logged.</param>
    public AllForOneStrategy(int maxNrOfRetries, int withinTimeMilliseconds, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeMilliseconds, new LocalOnlyDecider(localOnlyDecider), loggingEnabled)
    {
    }

    /// <summary>Creates a strategy with unlimited restarts.</summary>
    /// <param name="localOnlyDecider">Maps an exception to a directive.</param>
    /// <param name="loggingEnabled">Whether failures are logged.</param>
    public AllForOneStrategy(Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(-1, -1, new LocalOnlyDecider(localOnlyDecider), loggingEnabled)
    {
    }

    /// <summary>Creates a strategy with unlimited restarts.</summary>
    /// <param name="decider">Maps an exception to a directive.</param>
    public AllForOneStrategy(IDecider decider)
        : base(-1, -1, decider, true)
    {
    }

    internal override void ProcessFailure(
        ActorCell cell, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyList<ChildRestartStats> children)
    {
        if (children.Count == 0)
        {
            return;
        }

        if (restart && children.All(c => c.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRangeMilliseconds)))
        {
            foreach (var sibling in children)
            {
                // Siblings are running; suspend them before the restart so none processes a message in between.
                cell.RestartChild(sibling.Child, cause, suspendFirst: !sibling.Child.Equals(child));
            }
        }
        else
        {
            foreach (var sibling in children)
            {
                cell.Stop(sibling.Child);
            }
        }
    }
}
