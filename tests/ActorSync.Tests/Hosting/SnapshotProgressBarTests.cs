using ActorSync.Actors;
using ActorSync.Hosting;

namespace ActorSync.Tests.Hosting;

public sealed class SnapshotProgressBarTests
{
    [Fact]
    public void A_bar_shows_rows_copied_estimated_rate_and_eta()
    {
        var sync = new SyncStatus(
            "orders", "main:public.orders", "replica:public.orders", SyncStates.Snapshotting, 0, 0, 0, 0, 0, null, null,
            new SnapshotStatusReport(610_000, 1_000_000, 212_304.6, TimeSpan.FromSeconds(2)));

        Assert.Equal(
            "orders [##################............] 61% 610,000/1,000,000 rows 212,305 rows/s ETA 00:00:02",
            SnapshotProgressBar.Render(sync));
    }

    [Fact]
    public void Without_an_estimate_or_a_rate_the_bar_is_empty_and_the_eta_unknown()
    {
        var sync = new SyncStatus(
            "t", "a:public.t", "b:public.t", SyncStates.Snapshotting, 0, 0, 0, 0, 0, null, null, new SnapshotStatusReport(0, 0, 0, null));

        Assert.Equal("t [..............................] 0% 0/0 rows 0 rows/s ETA --:--:--", SnapshotProgressBar.Render(sync));
    }
}
