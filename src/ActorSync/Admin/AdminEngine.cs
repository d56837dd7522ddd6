using ActorSync.Actors;
using ActorSync.Hosting;
using Akka.Actor;

namespace ActorSync.Admin;

/// <summary>
/// The admin endpoints' way to the running engine: every answer is asked of the actors with <see cref="AskTimeout"/>
/// (issue 7: never by sharing their state). Throws <see cref="EngineUnavailableException"/> when the engine is not
/// started, has stopped, or did not answer in time; the endpoints turn that into 503.
/// </summary>
public sealed class AdminEngine(EngineAccessor accessor)
{
    /// <summary>How long each actor has to answer.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The configured sync whose name matches <paramref name="name"/> (names are unique ignoring case), or null.</summary>
    public string? FindSync(string name)
    {
        var syncs = Running().State.Syncs;
        return syncs.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))?.Name
            ?? syncs.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))?.Name;
    }

    /// <summary>The configured syncs, in configuration order.</summary>
    public IReadOnlyList<string> SyncNames => Running().State.Syncs.Select(s => s.Name).ToArray();

    /// <summary>The databases that have a listener: every source database.</summary>
    public IReadOnlyList<string> SourceDatabases =>
        Running().State.Syncs.Select(s => s.Source.Database).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>What every actor reports, asked in parallel.</summary>
    public async Task<(StatusResponse Response, EngineStatus Raw)> GetStatusAsync(CancellationToken cancellationToken)
    {
        var engine = Running();
        try
        {
            var status = await engine.GetStatusAsync(AskTimeout, cancellationToken);
            return (StatusResponse.From(status, SourceDatabases), status);
        }
        catch (AskTimeoutException)
        {
            throw NoAnswer();
        }
    }

    /// <summary>Sends pause, resume or resync to a configured sync (a name from <see cref="FindSync"/>).</summary>
    public async Task<CommandResponse> CommandAsync(string sync, object command, CancellationToken cancellationToken)
    {
        var engine = Running();
        try
        {
            var accepted = await engine.CommandAsync(sync, command, AskTimeout, cancellationToken)
                ?? throw new EngineUnavailableException($"sync '{sync}' has no replicator running");
            return new CommandResponse(accepted.Sync, accepted.State);
        }
        catch (AskTimeoutException)
        {
            throw NoAnswer();
        }
    }

    /// <summary>Lists, retries or discards a configured sync's dead letters (issue #19).</summary>
    public async Task<DeadLettersAnswered> DeadLettersAsync(string sync, DeadLettersRequested request, CancellationToken cancellationToken)
    {
        var engine = Running();
        try
        {
            return await engine.AskSyncAsync<DeadLettersAnswered>(sync, request, AskTimeout, cancellationToken)
                ?? throw new EngineUnavailableException($"sync '{sync}' has no replicator running");
        }
        catch (AskTimeoutException)
        {
            throw NoAnswer();
        }
    }

    private SyncEngine Running()
    {
        var engine = accessor.Engine ?? throw new EngineUnavailableException("the engine is not started");
        return engine.System.WhenTerminated.IsCompleted ? throw new EngineUnavailableException("the engine has stopped") : engine;
    }

    private static EngineUnavailableException NoAnswer() =>
        new($"the engine did not answer within {AskTimeout.TotalSeconds:0} s");
}

/// <summary>The engine cannot answer now (not started, stopped, or too slow): the admin endpoints answer 503.</summary>
public sealed class EngineUnavailableException(string message) : Exception(message);
