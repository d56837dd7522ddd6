using ActorSync.Actors;
using ActorSync.Capture;
using ActorSync.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>Runs the real engine in-process over named databases, for tests that need the actors.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private EngineHarness(SyncEngine engine) => Engine = engine;

    public SyncEngine Engine { get; }

    public static SyncEngine Start(
        IReadOnlyDictionary<string, string> databases, IEnumerable<SyncDefinition> syncs, CaptureMode mode = CaptureMode.Row,
        ILoggerFactory? loggerFactory = null, Action<ActorSyncOptions>? configure = null, Action<EngineState>? inspect = null)
    {
        var options = new ActorSyncOptions
        {
            Databases = databases.ToDictionary(d => d.Key, d => new DatabaseOptions { ConnectionString = d.Value, MaxConnections = 8 }),
            Defaults = new SyncDefaultsOptions { Backoff = new BackoffSettings { Min = TimeSpan.FromMilliseconds(100), Max = TimeSpan.FromSeconds(2) } },
        };
        configure?.Invoke(options);
        var settings = new EngineSettings
        {
            Backoff = options.Defaults.Backoff,
            KeepAlive = TimeSpan.FromSeconds(2),
            SchemaCheckInterval = TimeSpan.FromMilliseconds(500),
            FailOnUnhandledMessages = true,
        };
        var state = new EngineState(options, syncs.Select(s => s with { CaptureMode = mode }).ToArray(), settings, loggerFactory ?? NullLoggerFactory.Instance);
        inspect?.Invoke(state); // what lives beyond the actors (a sync's health, its WAL backlog), for tests that look inside
        return SyncEngine.Start(state);
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();

    /// <summary>Waits until the sync reports the wanted state (e.g. idle once caught up).</summary>
    public static async Task<SyncStatus> WaitForStateAsync(SyncEngine engine, string sync, string state, TimeSpan? timeout = null)
    {
        SyncStatus? last = null;
        await Eventually.AssertAsync(async () =>
        {
            var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
            last = status.Syncs.Single(s => s.Name == sync);
            Assert.Equal(state, last.State);
        }, timeout);
        return last!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
