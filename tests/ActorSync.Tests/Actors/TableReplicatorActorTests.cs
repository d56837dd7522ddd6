using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.Metrics;
using ActorSync.Tests.Support;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>
/// The replicator on Akka.NET, driven through Akka.TestKit with a <see cref="TestProbe"/> as its listener: database work
/// runs as tasks piped back (it answers status while a batch is blocked), wake-ups that arrive while a batch runs are
/// coalesced, and a graceful stop gives back its wake-up lock and its connections.
/// </summary>
public sealed class TableReplicatorActorTests(PostgresDatabaseFixture database) : ActorTestKit, IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly ActorSyncMetrics _metrics = new();
    private DataSourceLeaser? _leaser;

    [Fact]
    public async Task Wake_ups_that_arrive_while_a_batch_runs_are_coalesced_into_one_more_look()
    {
        var (replicator, listener, health, sync) = await StartIdleAsync("coalesce");

        await database.ExecuteAsync("INSERT INTO coalesce_src VALUES (1, 'a')");
        for (var i = 0; i < 50; i++)
        {
            replicator.Tell(new ChangesPending(sync.SqlName));
        }

        // One batch applies the row; the 49 wake-ups behind it make one more look, which finds nothing and asks to be
        // woken again: once. Without coalescing, every wake-up would be a look and a request of its own.
        listener.ExpectMsg<WakeUpWanted>(w => w.Sync == sync.SqlName, Long);
        listener.Reply(new WakeUpArmed(true));
        listener.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "coalesce_src", database.DataSource, "coalesce_tgt", "id");
        Assert.Equal(1, health.BatchesApplied);
        Assert.Equal(SyncStates.Idle, (await replicator.Ask<SyncStatus>(SyncStatusRequested.Instance, Long)).State);
    }

    [Fact]
    public async Task The_replicator_answers_status_while_its_batch_waits_on_the_database()
    {
        var (replicator, listener, _, sync) = await StartIdleAsync("blocked");
        await database.ExecuteAsync("INSERT INTO blocked_src VALUES (1, 'a')");

        // Another session holds the target table: the batch's write waits on its lock.
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE blocked_tgt IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        replicator.Tell(new ChangesPending(sync.SqlName));
        // This class's database only: a table of that name may be locked in another test class's database.
        await Eventually.AssertAsync(async () => Assert.True(
            await database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%blocked_tgt%'") > 0));

        // The batch is a task piped back to the actor: its mailbox stays free for status.
        var status = await replicator.Ask<SyncStatus>(SyncStatusRequested.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(sync.Name, status.Name);
        Assert.Equal(0, status.BatchesApplied);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%blocked_tgt%'") > 0);

        await transaction.RollbackAsync();
        listener.ExpectMsg<WakeUpWanted>(Long);
        listener.Reply(new WakeUpArmed(true));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "blocked_src", database.DataSource, "blocked_tgt", "id");
    }

    [Fact]
    public async Task A_graceful_stop_gives_back_the_wake_up_lock_and_every_connection()
    {
        var (replicator, listener, _, sync) = await StartIdleAsync("stopping");

        Assert.True(await replicator.GracefulStop(Long));

        listener.ExpectMsg<WakeUpNotWanted>(w => w.Sync == sync.SqlName, Long);
        await Eventually.AssertAsync(() =>
        {
            Assert.Equal(0, _leaser!.Outstanding);
            return Task.CompletedTask;
        });
    }

    void IDisposable.Dispose()
    {
        _metrics.Dispose();
        Dispose();
    }

    /// <summary>Starts a replicator of <c>NAME_src</c> into <c>NAME_tgt</c> and lets it copy and go idle, armed.</summary>
    private async Task<(IActorRef Replicator, TestProbe Listener, SyncHealth Health, SyncDefinition Sync)> StartIdleAsync(string name)
    {
        await database.ExecuteAsync($"CREATE TABLE {name}_src (id int PRIMARY KEY, v text); CREATE TABLE {name}_tgt (id int PRIMARY KEY, v text)");
        var sync = SyncDefinition.From(
            new SyncOptions { Name = name, Source = $"src:public.{name}_src", Target = $"src:public.{name}_tgt", PollInterval = TimeSpan.FromMinutes(10) },
            new SyncDefaultsOptions());
        _leaser = new DataSourceLeaser(new Dictionary<string, NpgsqlDataSource> { ["src"] = database.DataSource });
        var leaser = _leaser;
        var listener = CreateTestProbe();
        var health = new SyncHealth();
        var metrics = _metrics;
        var replicator = Sys.ActorOf(
            Props.Create(() => new TableReplicatorActor(sync, leaser, listener.Ref, health, new EngineSettings(), NullLoggerFactory.Instance, metrics)), name);

        listener.ExpectMsg<WakeUpWanted>(w => w.Sync == sync.SqlName, Long);
        listener.Reply(new WakeUpArmed(true));
        await Eventually.AssertAsync(async () =>
            Assert.Equal(SyncStates.Idle, (await replicator.Ask<SyncStatus>(SyncStatusRequested.Instance, Long)).State));
        return (replicator, listener, health, sync);
    }
}
