using ActorSync.Capture;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>Helpers for tests of WAL capture (issue #20).</summary>
public static class WalTestSupport
{
    /// <summary>WAL tests need <c>wal_level = logical</c>: on a server without it they fail saying so (issue #20).</summary>
    public static async Task RequireLogicalWalAsync(NpgsqlDataSource source)
    {
        await using var connection = await source.OpenConnectionAsync();
        var (logical, level) = await WalInstaller.WalLevelAsync(connection, default);
        Assert.True(logical, $"WAL capture tests need a server with wal_level = logical; this one (ACTORSYNC_TEST_PG?) runs with wal_level = {level}.");
    }

    /// <summary>Drops the test's slot once the engine's replication connection is gone (a slot in use cannot be dropped).</summary>
    public static async Task DropSlotAsync(NpgsqlDataSource source, string databaseName)
    {
        await Eventually.AssertAsync(async () =>
        {
            await using var command = source.CreateCommand(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1 AND active");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(databaseName) });
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        });
        await using var connection = await source.OpenConnectionAsync();
        await WalInstaller.UninstallAsync(connection, databaseName, default);
    }
}
