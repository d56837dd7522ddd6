using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Cli;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Cli;

/// <summary><c>actorsync status</c> on a terminal: the Spectre.Console table carries what the plain text does (issue 21).</summary>
public sealed class StatusTableTests
{
    [Fact]
    public void The_table_shows_every_column_of_every_sync_and_the_listener_pools_and_version()
    {
        var status = new StatusResponse(
            [
                new SyncResponse("orders", "main:public.orders", "replica:public.orders", SyncStates.Streaming, 1_234_567, 10, 42, 3.5, 0, null, null, null, 0),
                new SyncResponse(
                    "customers", "main:public.customers", "replica:public.customers", SyncStates.Failing, 5, 1, 0, 125, 3,
                    new SyncErrorResponse("connection refused", new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero)), null, null, 2),
                new SyncResponse(
                    "items", "main:public.items", "replica:public.items", SyncStates.Snapshotting, 0, 0, 0, 0, 0, null, null,
                    new SnapshotResponse(250, 1000, 100, 7.5), 0),
            ],
            new ListenerResponse(true, null, 1),
            [new PoolResponse("main", "read", 1, 10)],
            "1.2.3");
        var console = new PlainConsole();

        console.Console.Write(StatusTable.Render(status));

        var text = console.Text;
        foreach (var expected in new[]
                 {
                     "SYNC", "STATE", "LAG", "PENDING", "APPLIED", "RESTARTS", "DEAD LETTERS", "LAST ERROR",
                     "orders", "streaming", "3.5s", "42", "1,234,567",
                     "customers", "failing", "2m05s", "connection refused (at 2026-12-04 12:00:00Z)",
                     "items", "snapshotting 25%",
                     "connected, last notification never, 1 reconnect(s)", "main/read 1/10", "1.2.3",
                 })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }
}
