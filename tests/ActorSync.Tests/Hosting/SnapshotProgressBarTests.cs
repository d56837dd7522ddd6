using ActorSync.Actors;
using ActorSync.Hosting;
using ActorSync.Tests.Support;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorSync.Tests.Hosting;

/// <summary>The snapshot progress line's columns (Spectre.Console, issue 21): name, bar, percentage, rows, rate, ETA.</summary>
public sealed class SnapshotProgressBarTests
{
    [Fact]
    public void A_bar_shows_rows_copied_estimated_rate_and_eta()
    {
        var line = Render("orders", new SnapshotStatusReport(610_000, 1_000_000, 212_304.6, TimeSpan.FromSeconds(2)));

        Assert.StartsWith("orders ", line, StringComparison.Ordinal);
        Assert.Contains(" 61% ", line, StringComparison.Ordinal);
        Assert.EndsWith(" 610,000/1,000,000 rows 212,305 rows/s ETA 00:00:02", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_estimate_or_a_rate_the_bar_is_empty_and_the_eta_unknown()
    {
        var line = Render("t", new SnapshotStatusReport(0, 0, 0, null));

        Assert.Contains(" 0% ", line, StringComparison.Ordinal);
        Assert.EndsWith(" 0/0 rows 0 rows/s ETA --:--:--", line, StringComparison.Ordinal);
    }

    private static string Render(string sync, SnapshotStatusReport snapshot)
    {
        var task = new ProgressTask(0, sync, 100);
        SnapshotProgressBar.Update(task, snapshot);
        var console = new PlainConsole();
        var options = RenderOptions.Create(console.Console, console.Console.Profile.Capabilities);
        var columns = SnapshotProgressBar.Columns();
        var grid = new Grid();
        foreach (var _ in columns)
        {
            grid.AddColumn(new GridColumn().NoWrap().PadRight(1));
        }

        grid.AddRow(columns.Select(c => c.Render(options, task, TimeSpan.Zero)).ToArray());
        console.Console.Write(grid);
        return string.Join(" ", console.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim();
    }
}
