using System.Globalization;
using System.Text;
using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Cli;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorSync.Demo;

/// <summary>What the live display shows at one moment.</summary>
/// <param name="Phase">What the demo is doing, e.g. <c>running 12s of 30s</c>.</param>
/// <param name="Elapsed">Time since the service started.</param>
/// <param name="Status">The service's status (as <c>GET /status</c> answers), or null when it did not answer.</param>
/// <param name="Unavailable">Why there is no status.</param>
/// <param name="Writer">The writer's progress.</param>
/// <param name="Events">Log lines that arrived since the last frame.</param>
public sealed record DemoFrame(
    string Phase, TimeSpan Elapsed, StatusResponse? Status, string? Unavailable, DemoWriter Writer, IReadOnlyList<string> Events);

/// <summary>
/// The demo's live status. On an interactive terminal: a Spectre.Console live display refreshing in place (the table
/// <c>actorsync status</c> draws, the writer's counts and the latest events under it). Otherwise (output redirected,
/// <c>TERM=dumb</c>): one line per second, with events on lines of their own, so a log file reads top to bottom.
/// </summary>
public sealed class DemoDisplay(TextWriter output, bool interactive, string header)
{
    private const int EventsShown = 8;

    private readonly List<string> _recentEvents = [];
    private LiveDisplayContext? _live;
    private TaskCompletionSource? _liveEnds;
    private Task? _liveRuns;

    /// <summary>True when <paramref name="output"/> is a terminal that understands cursor movement.</summary>
    public static bool IsInteractive(TextWriter output) => Terminal.IsInteractive(output);

    /// <summary>How often a frame is shown: twice a second on a terminal, once a second otherwise.</summary>
    public TimeSpan Interval => interactive ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(1);

    public async Task ShowAsync(DemoFrame frame)
    {
        if (!interactive)
        {
            foreach (var line in frame.Events)
            {
                await output.WriteLineAsync("         " + line);
            }

            await output.WriteLineAsync(Line(frame));
            return;
        }

        _recentEvents.AddRange(frame.Events);
        _recentEvents.RemoveRange(0, Math.Max(0, _recentEvents.Count - EventsShown));
        var view = View(frame);
        if (_live is null)
        {
            // The live display runs until WriteLineAsync ends it; frames replace its content.
            var started = new TaskCompletionSource<LiveDisplayContext>(TaskCreationOptions.RunContinuationsAsynchronously);
            _liveEnds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var ends = _liveEnds.Task;
            _liveRuns = Terminal.For(output).Live(view).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
            {
                started.SetResult(context);
                await ends;
            });
            _live = await started.Task;
        }

        _live.UpdateTarget(view);
        _live.Refresh();
    }

    /// <summary>A line after the live display: the last frame stays on the screen above it.</summary>
    public async Task WriteLineAsync(string line)
    {
        await StopAsync();
        await output.WriteLineAsync(line);
    }

    /// <summary>Ends the live display, its last frame left on the screen; nothing when there is none.</summary>
    public async Task StopAsync()
    {
        if (_liveRuns is { } runs)
        {
            _liveEnds!.TrySetResult();
            _live = null;
            _liveRuns = null;
            await runs;
        }
    }

    private IRenderable View(DemoFrame frame)
    {
        var writer = new Grid().AddColumn().AddColumn()
            .AddRow(new Text("writer"), new Text(Writer(frame.Writer)))
            .AddRow(new Text(""), new Text(string.Join(", ", frame.Writer.Counts.Select(c => $"{c.Script} {c.Count}"))));
        return new Rows(
            new Text($"{header} · {frame.Phase}", new Style(decoration: Decoration.Bold)),
            frame.Status is { } status ? StatusTable.Render(status) : new Text($"(no status: {frame.Unavailable})", new Style(Color.Red)),
            writer,
            new Text("events:"),
            new Rows(_recentEvents.Select(e => new Text("  " + e))));
    }

    private static string Line(DemoFrame frame)
    {
        var text = new StringBuilder()
            .Append('[').Append(((int)frame.Elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append("s] ")
            .Append(frame.Phase).Append(" · writer ").Append(Writer(frame.Writer));
        if (frame.Status is null)
        {
            return text.Append(" · no status: ").Append(frame.Unavailable).ToString();
        }

        foreach (var sync in frame.Status.Syncs)
        {
            text.Append(" · ").Append(sync.Name).Append(' ').Append(sync.State);
            if (sync.PendingRows > 0 || sync.LagSeconds > 0)
            {
                text.Append(' ').Append(sync.PendingRows.ToString(CultureInfo.InvariantCulture)).Append(" pending, lag ").Append(StatusCommand.Lag(sync.LagSeconds));
            }

            if (sync.State == SyncStates.Failing && sync.LastError is { } error)
            {
                text.Append(" (").Append(error.Message.ReplaceLineEndings(" ")).Append(')');
            }
        }

        return text.ToString();
    }

    private static string Writer(DemoWriter writer)
    {
        var seconds = writer.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? writer.Transactions / seconds : 0;
        return FormattableString.Invariant($"{writer.Transactions} transactions ({rate:0}/s)");
    }
}
