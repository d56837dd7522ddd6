using System.Globalization;
using System.Text.RegularExpressions;
using ActorSync.Actors;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Telemetry;

/// <summary>
/// <c>actorsync_lag_seconds</c> scraped from the real endpoint (issue 21): 0 when idle, growing while a paused sync has
/// changes waiting, growing while its database cannot be reached (never frozen at its last value), 0 again once caught up.
/// </summary>
public sealed partial class LagMetricTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Lag_is_zero_when_idle_and_grows_while_paused_and_while_the_database_is_unreachable()
    {
        await database.ExecuteAsync("""
            CREATE TABLE lagging (id int PRIMARY KEY, v text);
            CREATE TABLE lagging_copy (id int PRIMARY KEY, v text);
            """);
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = lagging, source = \"src:public.lagging\", target = \"src:public.lagging_copy\" }"]);
        await host.WaitForStateAsync("lagging", SyncStates.Idle);
        Assert.Equal(0, await LagAsync(host));

        // Paused with changes waiting: the lag is their age, and it grows from one scrape to the next.
        using (var paused = await host.Client.PostAsync("syncs/lagging/pause", null))
        {
            Assert.True(paused.IsSuccessStatusCode, await paused.Content.ReadAsStringAsync());
        }

        await host.WaitForStateAsync("lagging", SyncStates.Paused);
        await database.ExecuteAsync("INSERT INTO lagging SELECT g, 'v' FROM generate_series(1, 10) g");
        var first = await Eventually.ValueAsync(() => LagAsync(host), lag => lag > 0);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True(await LagAsync(host) >= first + 1, "the lag of a paused sync with changes waiting did not grow");

        using (var resumed = await host.Client.PostAsync("syncs/lagging/resume", null))
        {
            Assert.True(resumed.IsSuccessStatusCode, await resumed.Content.ReadAsStringAsync());
        }

        await host.WaitForStateAsync("lagging", SyncStates.Idle);
        await Eventually.AssertAsync(async () => Assert.Equal(0, await LagAsync(host)));

        // The database refuses connections: the sync fails, and its lag grows from its last look at the source.
        var admin = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var postgres = NpgsqlDataSource.Create(admin);
        await EngineHarness.ExecuteAsync(postgres, $"""
            ALTER DATABASE "{database.DatabaseName}" ALLOW_CONNECTIONS false;
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.DatabaseName}';
            """);
        try
        {
            await host.WaitForStateAsync("lagging", SyncStates.Failing, TimeSpan.FromSeconds(60));
            var before = await Eventually.ValueAsync(() => LagAsync(host), lag => lag > 0);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = await LagAsync(host);
            Assert.True(after >= before + 1.5, $"the lag froze while the database was unreachable: {before} s, then {after} s");
        }
        finally
        {
            await EngineHarness.ExecuteAsync(postgres, $"""ALTER DATABASE "{database.DatabaseName}" ALLOW_CONNECTIONS true""");
        }

        await host.WaitForStateAsync("lagging", SyncStates.Idle, TimeSpan.FromSeconds(90));
        await Eventually.AssertAsync(async () => Assert.Equal(0, await LagAsync(host)));
    }

    private static async Task<double> LagAsync(AdminHost host)
    {
        var text = await host.Client.GetStringAsync("metrics");
        var match = LagLine().Match(text);
        Assert.True(match.Success, "no actorsync_lag_seconds{sync=\"lagging\"} in /metrics");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^actorsync_lag_seconds\{sync="lagging"\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex LagLine();
}
