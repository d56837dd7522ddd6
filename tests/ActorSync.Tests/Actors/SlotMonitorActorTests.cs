using System.Diagnostics.Metrics;
using ActorSync.Actors;
using ActorSync.Capture;
using ActorSync.Metrics;
using ActorSync.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>
/// The WAL a replication slot retains (issue #20), read from a real server: the slot is created here with
/// <c>pg_create_logical_replication_slot</c>, as WAL capture names it, and nobody consumes it, so every write retains more.
/// </summary>
public sealed class SlotMonitorActorTests(PostgresDatabaseFixture database) : ActorTestKit, IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    // Slots are the server's, not the database's: a name of its own per test class run.
    private readonly string _name = "mon_" + Guid.NewGuid().ToString("N")[..8];
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public async Task InitializeAsync()
    {
        await WalTestSupport.RequireLogicalWalAsync(database.DataSource);
        await database.ExecuteAsync("CREATE TABLE IF NOT EXISTS filler (id serial PRIMARY KEY, v text)");
    }

    public async Task DisposeAsync()
    {
        // A slot left behind would keep the shared server's WAL forever.
        await database.ExecuteAsync(
            $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{WalNames.Slot(_name)}'");
        await _services.DisposeAsync();
    }

    /// <summary>
    /// What <c>actorsync_slot_retained_bytes{database}</c> reports when collected, read the way the OpenTelemetry SDK
    /// reads an observable gauge (its Prometheus name is pinned by MetricsEndpointTests and ExportedMetrics).
    /// </summary>
    private static long? ObservedRetainedBytes(string databaseName)
    {
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: ActorSyncMetrics.MeterName, Name: "actorsync_slot_retained_bytes" })
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "database" && tag.Value as string == databaseName)
                {
                    value = measurement;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    [Fact]
    public async Task The_retained_wal_grows_with_writes_and_is_reported_in_status_metrics_and_a_warning_past_the_threshold()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        using var metrics = new ActorSyncMetrics(meterFactory);
        var leaser = new DataSourceLeaser(new Dictionary<string, NpgsqlDataSource> { [_name] = database.DataSource });
        var monitor = Sys.ActorOf(Props.Create(() => new SlotMonitorActor(_name, 1_000_000, leaser, metrics, NullLoggerFactory.Instance, TimeSpan.FromMilliseconds(200))));

        // No slot yet (WAL capture creates it at its first run): nothing retained, nothing to warn about.
        await AwaitAssertAsync(async () =>
        {
            var status = await monitor.Ask<SlotStatus>(SlotStatusRequested.Instance, TimeSpan.FromSeconds(5));
            Assert.NotNull(status.MeasuredAt);
            Assert.False(status.Exists);
            Assert.Null(status.RetainedBytes);
            Assert.Null(status.Warning);
        }, TimeSpan.FromSeconds(10));
        Assert.Null(ObservedRetainedBytes(_name));

        await database.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{WalNames.Slot(_name)}', 'pgoutput')");
        // WAL is the server's: other test classes writing on the shared server make the figure grow too, so only our
        // own 3 MB below is certain to pass the threshold.
        var created = await AwaitStatusAsync(monitor, s => s is { Exists: true, RetainedBytes: >= 0 });
        Assert.Equal(WalNames.Slot(_name), created.Slot);

        // About 3 MB of WAL that the slot keeps: nobody confirms it.
        await database.ExecuteAsync("INSERT INTO filler (v) SELECT repeat(md5(g::text), 30) FROM generate_series(1, 3000) g");
        var large = await AwaitStatusAsync(monitor, s => s.RetainedBytes > 1_000_000);
        Assert.Contains($"replication slot {WalNames.Slot(_name)} on database '{_name}' retains", large.Warning, StringComparison.Ordinal);
        Assert.Contains("more than slot-retention-warning (1 MB)", large.Warning, StringComparison.Ordinal);

        // The gauge first, the server after: WAL only grows (others write it too), so the gauge's figure, read earlier, is
        // at most the server's.
        var figure = ObservedRetainedBytes(_name);
        var serverFigure = await database.ScalarAsync<long>(
            $"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = '{WalNames.Slot(_name)}'");
        Assert.NotNull(figure);
        Assert.InRange(figure.Value, large.RetainedBytes!.Value, serverFigure);
    }

    private async Task<SlotStatus> AwaitStatusAsync(IActorRef monitor, Func<SlotStatus, bool> until)
    {
        SlotStatus? last = null;
        await AwaitAssertAsync(async () =>
        {
            last = await monitor.Ask<SlotStatus>(SlotStatusRequested.Instance, TimeSpan.FromSeconds(5));
            Assert.True(until(last), $"slot status: {last}");
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        return last!;
    }
}
