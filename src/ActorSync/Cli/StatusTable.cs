using System.Globalization;
using ActorSync.Actors;
using ActorSync.Admin;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync status</c> on a terminal, and the demo's live view (issue 21): the columns of
/// <see cref="StatusCommand.Describe"/> in a Spectre.Console table, states in colour; the listener, pools and version
/// under it. Redirected output keeps the plain text of <see cref="StatusCommand.Describe"/>.
/// </summary>
public static class StatusTable
{
    public static IRenderable Render(StatusResponse status)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("SYNC")
            .AddColumn("STATE")
            .AddColumn(new TableColumn("LAG").RightAligned())
            .AddColumn(new TableColumn("PENDING").RightAligned())
            .AddColumn(new TableColumn("APPLIED").RightAligned())
            .AddColumn(new TableColumn("RESTARTS").RightAligned())
            .AddColumn(new TableColumn("DEAD LETTERS").RightAligned())
            .AddColumn("LAST ERROR");
        foreach (var sync in status.Syncs)
        {
            var state = sync.Snapshot is { RowsEstimated: > 0 } snapshot
                ? $"{sync.State} {Math.Min(100, 100 * snapshot.RowsCopied / snapshot.RowsEstimated)}%"
                : sync.State;
            table.AddRow(
                new Text(sync.Name),
                new Text(state, new Style(StateColor(sync.State))),
                new Text(StatusCommand.Lag(sync.LagSeconds)),
                new Text(sync.PendingRows.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(sync.RowsApplied.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(sync.Restarts.ToString(CultureInfo.InvariantCulture)),
                new Text(sync.DeadLetters.ToString(CultureInfo.InvariantCulture), sync.DeadLetters > 0 ? new Style(Color.Yellow) : Style.Plain),
                sync.LastError is { } error
                    ? new Text(
                        $"{error.Message.ReplaceLineEndings(" ")} (at {error.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z)",
                        new Style(Color.Red))
                    : new Text("-"));
        }

        if (status.Syncs.Count == 0)
        {
            table.Caption("(no syncs)");
        }

        var listener = status.Listener;
        var lastNotification = listener.LastNotificationAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
        var details = new Grid().AddColumn().AddColumn()
            .AddRow(
                new Text("listener"),
                new Text(
                    $"{(listener.Connected ? "connected" : "NOT CONNECTED")}, last notification {lastNotification}, {listener.Reconnects} reconnect(s)",
                    listener.Connected ? Style.Plain : new Style(Color.Red)))
            .AddRow(new Text("pools"), new Text(string.Join(", ", status.Pools.Select(p => FormattableString.Invariant($"{p.Database}/{p.Role} {p.Leased}/{p.Max}")))))
            .AddRow(new Text("version"), new Text(status.Version));
        return new Rows(table, details);
    }

    private static Color StateColor(string state) => state switch
    {
        SyncStates.Idle => Color.Green,
        SyncStates.Failing => Color.Red,
        SyncStates.Paused => Color.Grey,
        _ => Color.Yellow,
    };
}
