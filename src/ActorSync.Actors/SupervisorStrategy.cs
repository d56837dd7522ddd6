using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>What a supervisor does with a child that failed.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state, drop the failing message, continue.</summary>
    Resume,

    /// <summary>Replace the instance with a new one built from the same <see cref="Props"/>; the mailbox is kept.</summary>
    Restart,

    /// <summary>Fail the supervisor itself with the same exception, so that its own parent decides.</summary>
    Escalate,

    /// <summary>Stop the child permanently.</summary>
    Stop,
}

/// <summary>Maps an exception to a <see cref="Directive"/>.</summary>
public interface IDecider
{
    /// <summary>Chooses the directive for <paramref name="cause"/>.</summary>
    /// <param name="cause">The child's exception.</param>
    public Directive Decide(Exception cause);
}

/// <summary>Builds deciders.</summary>
public static class Decider
{
    /// <summary>A decider backed by a function.</summary>
    /// <param name="localOnlyDecider">The function.</param>
    public static IDecider From(Func<Exception, Directive> localOnlyDecider) => new LocalOnlyDecider(localOnlyDecider);

    /// <summary>A decider that picks the first pair whose exception type matches, else <paramref name="defaultDirective"/>.</summary>
    /// <param name="defaultDirective">The directive when no pair matches.</param>
    /// <param name="pairs">Exception types (matching subclasses too) and their directives, tried in order.</param>
    public static IDecider From(Directive defaultDirective, params KeyValuePair<Type, Directive>[] pairs) =>
        new DeployableDecider(defaultDirective, pairs);

    /// <summary>A decider that picks the first pair whose exception type matches, else <paramref name="defaultDirective"/>.</summary>
    /// <param name="defaultDirective">The directive when no pair matches.</param>
    /// <param name="pairs">Exception types (matching subclasses too) and their directives, tried in order.</param>
    public static IDecider From(Directive defaultDirective, IEnumerable<KeyValuePair<Type, Directive>> pairs) =>
        new DeployableDecider(defaultDirective, pairs);
}

/// <summary>A decider backed by a function.</summary>
public sealed class LocalOnlyDecider : IDecider
{
    private readonly Func<Exception, Directive> _decider;

    /// <summary>Creates the decider.</summary>
    /// <param name="decider">The function.</param>
    public LocalOnlyDecider(Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        _decider = decider;
    }

    /// <inheritdoc />
    public Directive Decide(Exception cause) => _decider(cause);
}

/// <summary>A decider made of exception types and directives, with a default.</summary>
public sealed class DeployableDecider : IDecider
{
    private readonly KeyValuePair<Type, Directive>[] _pairs;

    /// <summary>Creates the decider.</summary>
    /// <param name="defaultDirective">The directive when no pair matches.</param>
    /// <param name="pairs">Exception types and their directives, tried in order.</param>
    public DeployableDecider(Directive defaultDirective, IEnumerable<KeyValuePair<Type, Directive>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        DefaultDirective = defaultDirective;
        _pairs = [.. pairs];
    }

    /// <summary>The directive when no pair matches.</summary>
    public Directive DefaultDirective { get; }

    /// <summary>The exception types and their directives.</summary>
    public IReadOnlyList<KeyValuePair<Type, Directive>> Pairs => _pairs;

    /// <inheritdoc />
    public Directive Decide(Exception cause)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key.IsInstanceOfType(cause))
            {
                return pair.Value;
            }
        }

        return DefaultDirective;
    }
}

/// <summary>
/// How a parent handles the failures of its children. Use <see cref="OneForOneStrategy"/> (the directive applies to
/// the failing child) or <see cref="AllForOneStrategy"/> (it applies to all children).
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>
    /// Maps <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
    /// <see cref="DeathPactException"/> to <see cref="Directive.Stop"/>, and any other exception to <see cref="Directive.Restart"/>.
    /// </summary>
    public static readonly IDecider DefaultDecider = new LocalOnlyDecider(DefaultDecide);

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>: what a parent uses unless it defines its own.</summary>
    public static readonly SupervisorStrategy DefaultStrategy = new OneForOneStrategy(DefaultDecider);

    /// <summary>One-for-one, stopping the failing child whatever the exception.</summary>
    public static readonly OneForOneStrategy StoppingStrategy = new(static _ => Directive.Stop);

    private protected SupervisorStrategy(int maxNrOfRetries, int withinTimeMilliseconds, IDecider decider, bool loggingEnabled)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNumberOfRetries = maxNrOfRetries;
        WithinTimeRangeMilliseconds = withinTimeMilliseconds;
        Decider = decider;
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>Restarts allowed within the window; -1 for unlimited, 0 for none.</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>The window in milliseconds; -1 (or 0) when failures are counted for ever.</summary>
    public int WithinTimeRangeMilliseconds { get; }

    /// <summary>The decider.</summary>
    public IDecider Decider { get; }

    /// <summary>Whether failures are logged.</summary>
    public bool LoggingEnabled { get; }

    internal static int ToRetries(int? maxNrOfRetries) => maxNrOfRetries ?? -1;

    internal static int ToMilliseconds(TimeSpan? withinTimeRange) =>
        withinTimeRange is { } range && range != Timeout.InfiniteTimeSpan && range > TimeSpan.Zero
            ? (int)Math.Min(int.MaxValue, range.TotalMilliseconds)
            : -1;

    /// <summary>Applies the decision for a failed child; returns false when the failure must be escalated.</summary>
    internal bool HandleFailure(ActorCell cell, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyList<ChildRestartStats> children)
    {
        var directive = Decider.Decide(cause);
        switch (directive)
        {
            case Directive.Resume:
                LogFailure(cell, child, cause, directive);
                cell.ResumeChild(child, cause);
                return true;
            case Directive.Restart:
                LogFailure(cell, child, cause, directive);
                ProcessFailure(cell, true, child, cause, stats, children);
                return true;
            case Directive.Stop:
                LogFailure(cell, child, cause, directive);
                ProcessFailure(cell, false, child, cause, stats, children);
                return true;
            default:
                return false;
        }
    }

    internal abstract void ProcessFailure(
        ActorCell cell, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyList<ChildRestartStats> children);

    private void LogFailure(ActorCell cell, IActorRef child, Exception cause, Directive directive)
    {
        if (!LoggingEnabled)
        {
            return;
        }

        var logger = cell.SystemImpl.KernelLogger;
        if (directive == Directive.Resume)
        {
            LogMessages.ChildFailureResumed(logger, cause, child.Path.ToString(), cause.Message);
        }
        else
        {
            LogMessages.ChildFailure(logger, cause, child.Path.ToString(), directive, cause.Message);
        }
    }

    private static Directive DefaultDecide(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };
}
