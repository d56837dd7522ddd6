using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.Metrics;
using ActorSync.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>
/// The replicator's wake-up protocol when its wake-up lock never arms (as when a writer is always in flight on a busy
/// table): it looks again quickly, backing off only while nothing comes, and starts quick again whenever a batch finds
/// work, so a busy table never waits for the poll interval, the safety net.
/// </summary>
public sealed class ReplicatorWakeUpTests(PostgresDatabaseFixture database) : ActorTestKit, IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_busy_table_whose_wake_up_never_arms_is_looked_at_again_quickly_after_every_batch()
    {
        await database.ExecuteAsync("CREATE TABLE wake_src (id int PRIMARY KEY, v int); CREATE TABLE wake_tgt (id int PRIMARY KEY, v int)");
        var sync = SyncDefinition.From(
            new SyncOptions
            {
                Name = "wake",
                Source = "src:public.wake_src",
                Target = "src:public.wake_tgt",
                PollInterval = TimeSpan.FromMinutes(10),
            },
            new SyncDefaultsOptions());
        var leaser = new DataSourceLeaser(new Dictionary<string, NpgsqlDataSource> { ["src"] = database.DataSource });
        var listener = Sys.ActorOf(Props.Create(() => new NeverArmingListener()), "listener");
        using var metrics = new ActorSyncMetrics();

        // One row every 20 ms, from before the replicator starts, so there is always a change on its way.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var id = 1; !stop.IsCancellationRequested; id++)
            {
                await database.ExecuteAsync($"INSERT INTO wake_src VALUES ({id}, {id})");
                await Task.Delay(20);
            }
        });
        var health = new SyncHealth();
        Sys.ActorOf(Props.Create(() => new TableReplicatorActor(sync, leaser, listener, health, new EngineSettings(), NullLoggerFactory.Instance, metrics)), "wake");

        // Batches in two seconds, four seconds into the stream. Looking again quickly after each batch keeps about one
        // batch per write or two. Backing off at every empty look without ever starting over (the bug this guards
        // against) left seconds between looks by then: doubling from 5 ms, nine empty looks make 2.5 s, so at most one
        // batch in the two seconds. The bar is 4, not the ~50 writes' worth: on a loaded 2-core machine the writer and
        // the batches run far slower than every 20 ms, and 4 still sits well above what the bug allows.
        AwaitCondition(() => health.BatchesApplied > 0, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var before = health.BatchesApplied;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var during = health.BatchesApplied - before;
        await stop.CancelAsync();
        await writer;

        Assert.True(during >= 4, $"only {during} batches in 2 s of a row every 20 ms: the replicator backed off while changes kept coming");
    }

    /// <summary>A listener whose wake-up lock never arms: every writer seems to be in flight.</summary>
    private sealed class NeverArmingListener : ReceiveActor
    {
        public NeverArmingListener()
        {
            Receive<WakeUpWanted>(_ => Sender.Tell(new WakeUpArmed(false)));
            ReceiveAny(_ => { });
        }
    }
}
