using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Pattern;

/// <summary>
/// A parent that re-creates its one child with exponentially growing, jittered delays. Messages sent to it are
/// forwarded to the child with their sender; while the child is down they become dead letters (or get the
/// <c>replyWhileStopped</c> answer). Use <see cref="Props(BackoffOptions)"/> with <see cref="Backoff"/>.
/// </summary>
public static class BackoffSupervisor
{
    /// <summary>Props of an on-stop backoff supervisor (see <see cref="Backoff.OnStop(Actors.Props, string, TimeSpan, TimeSpan, double)"/>).</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name.</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter factor.</param>
    public static Props Props(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        Props(Backoff.OnStop(childProps, childName, minBackoff, maxBackoff, randomFactor));

    /// <summary>Props of an on-stop backoff supervisor with a restart limit.</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name.</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter factor.</param>
    /// <param name="maxNrOfRetries">Restarts allowed; -1 for unlimited.</param>
    public static Props Props(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries) =>
        Props(Backoff.OnStop(childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries));

    /// <summary>Props of an on-stop backoff supervisor whose child is supervised with <paramref name="strategy"/>.</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name.</param>
    /// <param name="minBackoff">The first delay.</param>
    /// <param name="maxBackoff">The cap of the exponential delay.</param>
    /// <param name="randomFactor">Jitter factor.</param>
    /// <param name="strategy">How the child is supervised.</param>
    public static Props PropsWithSupervisorStrategy(
        Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, OneForOneStrategy strategy) =>
        Props(Backoff.OnStop(childProps, childName, minBackoff, maxBackoff, randomFactor).WithSupervisorStrategy(strategy));

    /// <summary>Props of the backoff supervisor described by <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode == BackoffMode.OnStop
            ? Actors.Props.Create(typeof(BackoffOnStopSupervisor), () => new BackoffOnStopSupervisor(options))
            : Actors.Props.Create(typeof(BackoffOnFailureSupervisor), () => new BackoffOnFailureSupervisor(options));
    }

    /// <summary>
    /// The delay before restart number <paramref name="restartCount"/> (0-based):
    /// <c>min(maxBackoff, minBackoff × 2^n) × (1 + r × randomFactor)</c> with r uniform in [0, 1); <paramref name="maxBackoff"/>
    /// when that overflows or is negative.
    /// </summary>
    internal static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, double random)
    {
        // The cap applies before the jitter, so a delay may exceed maxBackoff by up to the random factor (semantics item 51).
        var exponential = minBackoff.Ticks * Math.Pow(2, restartCount);
        var capped = Math.Min(maxBackoff.Ticks, exponential);
        var jittered = capped * (1.0 + (random * randomFactor));
        return double.IsNaN(jittered) || jittered < 0 || jittered >= TimeSpan.MaxValue.Ticks ? maxBackoff : TimeSpan.FromTicks((long)jittered);
    }

    internal static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        CalculateDelay(restartCount, minBackoff, maxBackoff, randomFactor, Random.Shared.NextDouble());

    /// <summary>Asks for the current child; the answer is <see cref="CurrentChild"/>.</summary>
    public sealed class GetCurrentChild
    {
        /// <summary>The single instance.</summary>
        public static readonly GetCurrentChild Instance = new();

        private GetCurrentChild()
        {
        }
    }

    /// <summary>The answer to <see cref="GetCurrentChild"/>.</summary>
    /// <param name="reference">The child, or <see langword="null"/> while it is down.</param>
    public sealed class CurrentChild(IActorRef? reference)
    {
        /// <summary>The child, or <see langword="null"/> while it is down.</summary>
        public IActorRef? Ref { get; } = reference;
    }

    /// <summary>Resets the restart count (with manual reset; unhandled with auto reset).</summary>
    public sealed class Reset
    {
        /// <summary>The single instance.</summary>
        public static readonly Reset Instance = new();

        private Reset()
        {
        }
    }

    /// <summary>Asks for the restart count; the answer is <see cref="RestartCount"/>.</summary>
    public sealed class GetRestartCount
    {
        /// <summary>The single instance.</summary>
        public static readonly GetRestartCount Instance = new();

        private GetRestartCount()
        {
        }
    }

    /// <summary>The answer to <see cref="GetRestartCount"/>.</summary>
    /// <param name="count">The number of restarts since the last reset.</param>
    public sealed class RestartCount(int count)
    {
        /// <summary>The number of restarts since the last reset.</summary>
        public int Count { get; } = count;
    }

    /// <summary>Sent to itself when the backoff delay has passed: (re)creates the child.</summary>
    public sealed class StartChild : Event.IDeadLetterSuppression
    {
        /// <summary>The single instance.</summary>
        public static readonly StartChild Instance = new();

        private StartChild()
        {
        }
    }
}
