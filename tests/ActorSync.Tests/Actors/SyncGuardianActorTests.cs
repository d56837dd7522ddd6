using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorSync.Tests.Actors;

/// <summary>
/// Supervision on Akka.NET (DESIGN.md, step 6): the guardian restarts a failing replicator one-for-one, the replicator
/// waits out an exponential backoff and reports <c>failing</c> with its last error meanwhile, the other syncs go on,
/// and the failing one recovers by itself once the cause is fixed.
/// </summary>
public sealed class SyncGuardianActorTests(PostgresDatabaseFixture database) : ActorTestKit, IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_failing_sync_is_restarted_with_backoff_while_the_others_go_on_and_it_recovers_once_fixed()
    {
        await database.ExecuteAsync("""
            CREATE TABLE guard_good (id int PRIMARY KEY, v text); CREATE TABLE guard_good_copy (id int PRIMARY KEY, v text);
            CREATE TABLE guard_bad (id int PRIMARY KEY, v text);
            INSERT INTO guard_good VALUES (1, 'a'); INSERT INTO guard_bad VALUES (1, 'b');
            """);
        var options = new ActorSyncOptions
        {
            Databases = { ["src"] = new DatabaseOptions { ConnectionString = database.ConnectionString } },
            Defaults = new SyncDefaultsOptions { Backoff = new BackoffSettings { Min = TimeSpan.FromMilliseconds(50), Max = TimeSpan.FromMilliseconds(400) } },
        };
        SyncDefinition[] syncs =
        [
            SyncDriver.Define("good", "src:public.guard_good", "src:public.guard_good_copy"),
            SyncDriver.Define("bad", "src:public.guard_bad", "src:public.guard_bad_copy"), // the target does not exist (yet)
        ];
        var state = new EngineState(options, syncs, EngineSettings.From(options), NullLoggerFactory.Instance);
        var guardian = Sys.ActorOf(Props.Create(() => new SyncGuardianActor(state)), "syncs");
        var actors = await guardian.Ask<EngineActors>(EngineActorsRequested.Instance, TimeSpan.FromSeconds(5));

        await AwaitAssertAsync(async () =>
        {
            var bad = await actors.Replicators["bad"].Ask<SyncStatus>(SyncStatusRequested.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(SyncStates.Failing, bad.State);
            Assert.True(bad.Restarts >= 3, $"{bad.Restarts} restarts");
            Assert.Contains("guard_bad_copy", bad.LastError?.Message, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        // Each failure in a row waits longer, up to the ceiling: the restarts do not spin.
        var history = state.SyncHealth("bad").History;
        Assert.InRange(history.NextDelay(options.Defaults.Backoff).TotalMilliseconds, 200, 480);
        var good = await actors.Replicators["good"].Ask<SyncStatus>(SyncStatusRequested.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(0, good.Restarts);
        await TableFingerprint.AssertEqualAsync(database.DataSource, "guard_good", database.DataSource, "guard_good_copy", "id");

        await database.ExecuteAsync("CREATE TABLE guard_bad_copy (id int PRIMARY KEY, v text)");
        await AwaitAssertAsync(async () =>
        {
            var bad = await actors.Replicators["bad"].Ask<SyncStatus>(SyncStatusRequested.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(SyncStates.Idle, bad.State);
            Assert.Null(bad.LastError);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "guard_bad", database.DataSource, "guard_bad_copy", "id");
    }
}
