using ActorSync.Capture;
using ActorSync.Listening;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Listening;

public sealed class NotificationChannelTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task An_armed_sync_is_woken_by_the_next_write_and_a_disarmed_one_is_not()
    {
        var driver = await SetUpAsync("woken");
        await using var channel = await NotificationChannel.OpenAsync(database.ConnectionString, default);

        Assert.True(await channel.TryArmAsync("woken", default));
        await database.ExecuteAsync("INSERT INTO woken_src VALUES (1, 'a')");
        var payloads = await channel.WaitAsync(TimeSpan.FromSeconds(10), default);
        Assert.Equal(["woken"], payloads);

        await channel.DisarmAsync("woken", default);
        await database.ExecuteAsync("INSERT INTO woken_src VALUES (2, 'b')");
        Assert.Empty(await channel.WaitAsync(TimeSpan.FromMilliseconds(300), default));
        Assert.Empty(channel.Armed);
        _ = driver;
    }

    [Fact]
    public async Task A_terminated_listen_connection_is_noticed()
    {
        await using var channel = await NotificationChannel.OpenAsync(database.ConnectionString, default);
        var wait = channel.WaitAsync(TimeSpan.FromSeconds(30), default);

        await database.ExecuteAsync($"SELECT pg_terminate_backend({channel.BackendProcessIds.Listen})");

        await Assert.ThrowsAnyAsync<Exception>(() => wait);
    }

    [Fact]
    public async Task A_terminated_lock_connection_fails_its_keep_alive_and_releases_the_locks()
    {
        await SetUpAsync("lockdeath");
        await using var channel = await NotificationChannel.OpenAsync(database.ConnectionString, default);
        Assert.True(await channel.TryArmAsync("lockdeath", default));

        await database.ExecuteAsync($"SELECT pg_terminate_backend({channel.BackendProcessIds.Locks})");

        await Assert.ThrowsAnyAsync<Exception>(() => channel.PingLocksAsync(default));
        await using var other = await NotificationChannel.OpenAsync(database.ConnectionString, default);
        Assert.True(await other.TryArmAsync("lockdeath", default));
    }

    private async Task<SyncDriver> SetUpAsync(string name)
    {
        await database.ExecuteAsync($"CREATE TABLE {name}_src (id int PRIMARY KEY, v text); CREATE TABLE {name}_tgt (id int PRIMARY KEY, v text)");
        return await SyncDriver.InstallAsync(
            SyncDriver.Define(name, $"db:public.{name}_src", $"db:public.{name}_tgt"), database.DataSource, database.DataSource, CaptureMode.Row);
    }
}
