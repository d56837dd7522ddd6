using ActorSync.Actors;
using Microsoft.Extensions.Hosting;

namespace ActorSync.Hosting;

/// <summary>
/// Runs the <see cref="SyncEngine"/> with the host: started with it, terminated in order when it stops. If the actor
/// system terminates by itself (a fatal failure), the host is asked to stop and the process exits with code 1.
/// </summary>
public sealed class EngineHostedService(EngineState state, EngineAccessor accessor, IHostApplicationLifetime lifetime) : IHostedService
{
    private volatile bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var engine = SyncEngine.Start(state);
        accessor.Engine = engine;
        _ = engine.System.WhenTerminated.ContinueWith(
            _ =>
            {
                if (!_stopping)
                {
                    Environment.ExitCode = Cli.ExitCodes.Failure;
                    lifetime.StopApplication();
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (accessor.Engine is { } engine)
        {
            await engine.DisposeAsync();
        }
    }
}

/// <summary>Gives the admin endpoints the running engine (null until the host has started).</summary>
public sealed class EngineAccessor
{
    public SyncEngine? Engine { get; set; }
}
