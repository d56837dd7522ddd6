using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>Issue 6, items 6 and 7: schema changes are noticed; resync copies one sync again while others stream.</summary>
public sealed class SchemaChangeTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task An_added_column_fails_the_sync_by_default_saying_what_changed_and_resync_brings_it_back()
    {
        var (target, databases) = await TwoDatabasesWithARowAsync("strict");
        await using var engine = EngineHarness.Start(databases, [SyncDriver.Define("strict", "src:public.strict", "tgt:public.strict")]);
        await EngineHarness.WaitForStateAsync(engine, "strict", SyncStates.Idle);

        await database.ExecuteAsync("ALTER TABLE strict ADD COLUMN extra text; INSERT INTO strict VALUES (2, 'b', 'x')");

        var failing = await EngineHarness.WaitForStateAsync(engine, "strict", SyncStates.Failing);
        Assert.Contains("source src:public.strict changed: column \"extra\" (text) was added", failing.LastError!.Message, StringComparison.Ordinal);
        Assert.Contains("actorsync resync strict", failing.LastError.Message, StringComparison.Ordinal);
        Assert.Contains("on-schema-change = add-columns", failing.LastError.Message, StringComparison.Ordinal);

        await EngineHarness.ExecuteAsync(target, "ALTER TABLE strict ADD COLUMN extra text");
        await engine.CommandAsync("strict", ResyncRequested.Instance, TimeSpan.FromSeconds(5), default);

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "strict", target, "strict", "id"));
        await EngineHarness.WaitForStateAsync(engine, "strict", SyncStates.Idle);
    }

    [Fact]
    public async Task With_add_columns_a_new_column_is_added_to_the_target_and_the_sync_goes_on()
    {
        var (target, databases) = await TwoDatabasesWithARowAsync("lenient");
        var sync = SyncDriver.Define("lenient", "src:public.lenient", "tgt:public.lenient") with { OnSchemaChange = OnSchemaChange.AddColumns };
        await using var engine = EngineHarness.Start(databases, [sync]);
        await EngineHarness.WaitForStateAsync(engine, "lenient", SyncStates.Idle);

        await database.ExecuteAsync("ALTER TABLE lenient ADD COLUMN note text; ALTER TABLE lenient ADD COLUMN flag boolean NOT NULL DEFAULT true");
        await database.ExecuteAsync("INSERT INTO lenient VALUES (2, 'b', 'new row', false); UPDATE lenient SET note = 'updated' WHERE id = 1");

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "lenient", target, "lenient", "id"));
        await using var command = target.CreateCommand("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'lenient'");
        Assert.Equal("id,v,note,flag", (string)(await command.ExecuteScalarAsync())!);
        var status = await EngineHarness.WaitForStateAsync(engine, "lenient", SyncStates.Idle);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task Resync_copies_one_sync_again_while_the_others_keep_streaming()
    {
        var (target, databases) = await TwoDatabasesWithARowAsync("again", "meanwhile");
        await database.ExecuteAsync("INSERT INTO again SELECT g, 'v' FROM generate_series(2, 20000) g");
        await using var engine = EngineHarness.Start(databases, [
            SyncDriver.Define("again", "src:public.again", "tgt:public.again"),
            SyncDriver.Define("meanwhile", "src:public.meanwhile", "tgt:public.meanwhile"),
        ]);
        await EngineHarness.WaitForStateAsync(engine, "again", SyncStates.Idle);
        await EngineHarness.ExecuteAsync(target, "DELETE FROM again WHERE id % 2 = 0; INSERT INTO again VALUES (-5, 'drift')");

        var accepted = await engine.CommandAsync("again", ResyncRequested.Instance, TimeSpan.FromSeconds(5), default);
        await database.ExecuteAsync("INSERT INTO meanwhile VALUES (2, 'still streaming')");

        Assert.Equal(SyncStates.Snapshotting, accepted!.State);
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "meanwhile", target, "meanwhile", "id"));
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "again", target, "again", "id"));
    }

    [Fact]
    public async Task A_disabled_sync_gets_no_capture_and_no_status()
    {
        var (_, databases) = await TwoDatabasesWithARowAsync("turned_on", "turned_off");
        await using var engine = EngineHarness.Start(databases, [
            SyncDriver.Define("turned_on", "src:public.turned_on", "tgt:public.turned_on"),
            SyncDriver.Define("turned_off", "src:public.turned_off", "tgt:public.turned_off") with { Enabled = false },
        ]);
        await EngineHarness.WaitForStateAsync(engine, "turned_on", SyncStates.Idle);

        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.Equal(["turned_on"], status.Syncs.Select(s => s.Name));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'turned_off'::regclass AND NOT tgisinternal"));
    }

    private async Task<(NpgsqlDataSource Target, Dictionary<string, string> Databases)> TwoDatabasesWithARowAsync(params string[] tables)
    {
        var created = await database.CreateTargetAsync(tables);
        foreach (var table in tables)
        {
            await database.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'a')");
        }

        return created;
    }
}
