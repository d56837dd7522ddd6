using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorSync.Actors;

/// <summary>
/// Settings of an <see cref="ActorSystem"/>, the counterpart of Akka.NET's <c>akka.actor</c> configuration for the
/// subset the kernel implements. Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record ActorSystemSettings
{
    /// <summary>The defaults.</summary>
    public static ActorSystemSettings Default { get; } = new();

    /// <summary>Where all logging goes: actors' <c>GetLogger()</c>, dead letters, supervision. No logging by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The timeout of an <c>Ask</c> without one (<c>akka.actor.ask-timeout</c>); infinite by default.</summary>
    public TimeSpan AskTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>User messages an actor processes per turn before yielding its thread (<c>throughput</c>).</summary>
    public int Throughput { get; init; } = 100;

    /// <summary>Dead letters logged before logging pauses (<c>akka.log-dead-letters</c>); 0 turns logging off.</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>How long dead-letter logging pauses once <see cref="LogDeadLetters"/> entries were written.</summary>
    public TimeSpan LogDeadLettersSuspendDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether dead letters are logged while the system shuts down.</summary>
    public bool LogDeadLettersDuringShutdown { get; init; }

    /// <summary>How the user guardian supervises top-level actors.</summary>
    public SupervisorStrategy GuardianSupervisorStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;

    /// <summary>The phases and behaviour of <see cref="Actors.CoordinatedShutdown"/>.</summary>
    public CoordinatedShutdownSettings CoordinatedShutdown { get; init; } = CoordinatedShutdownSettings.Default;
}
