using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.Metrics;
using ActorSync.Pools;
using ActorSync.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorSync.Tests.Actors;

/// <summary>
/// Leases by Ask with a timeout (<see cref="PoolClient"/> against the <see cref="PoolSupervisorActor"/>): a lease that
/// does not come in time fails with a message saying what to change, and the request it abandoned holds no slot.
/// </summary>
public sealed class PoolSupervisorActorTests(PostgresDatabaseFixture database) : ActorTestKit, IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_lease_that_times_out_is_abandoned_and_the_pool_keeps_no_slot_for_it()
    {
        using var metrics = new ActorSyncMetrics();
        var databases = new Dictionary<string, DatabaseOptions> { ["src"] = new() { ConnectionString = database.ConnectionString, MaxConnections = 1 } };
        var pool = Sys.ActorOf(Props.Create(() => new PoolSupervisorActor(databases, NullLoggerFactory.Instance, metrics)), "pools");
        // Only the lease meant to time out gets 300 ms: on a loaded machine opening a connection can take longer.
        var client = new PoolClient(pool, TimeSpan.FromSeconds(30));
        var impatient = new PoolClient(pool, TimeSpan.FromMilliseconds(300));

        var first = await client.LeaseAsync("src", ConnectionRole.Write, default);
        var timedOut = await Assert.ThrowsAsync<TimeoutException>(async () => await impatient.LeaseAsync("src", ConnectionRole.Write, default));
        Assert.Contains("No connection to database 'src' (write) became free", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("raise its max-connections", timedOut.Message, StringComparison.Ordinal);

        await AwaitAssertAsync(async () =>
        {
            var status = await pool.Ask<PoolStatus[]>(PoolStatusRequested.Instance, TimeSpan.FromSeconds(5));
            var write = status.Single(s => s is { Database: "src", Role: "write" });
            Assert.Equal((1, 0), (write.Leased, write.Waiting));
        });

        await first.DisposeAsync();
        await using var next = await client.LeaseAsync("src", ConnectionRole.Write, default);
        Assert.Equal(1, await new Npgsql.NpgsqlCommand("SELECT 1", next.Connection).ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_lease_for_an_unknown_database_fails_at_once()
    {
        using var metrics = new ActorSyncMetrics();
        var pool = Sys.ActorOf(Props.Create(() => new PoolSupervisorActor(new Dictionary<string, DatabaseOptions>(), NullLoggerFactory.Instance, metrics)));
        var client = new PoolClient(pool, TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.LeaseAsync("nowhere", ConnectionRole.Read, default));
        Assert.Equal("No database named 'nowhere' is configured.", error.Message);
    }
}
