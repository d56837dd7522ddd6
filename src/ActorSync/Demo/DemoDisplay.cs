using System.Globalization;
using System.Text;
using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Cli;

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
/// The demo's live status. On an interactive terminal: a table redrawn in place (the one <c>actorsync status</c>
/// prints), the writer's counts and the latest events under it. Otherwise (output redirected, <c>TERM=dumb</c>): one
/// line per second, with events on lines of their own, so a log file reads top to bottom.
/// </summary>
public sealed class DemoDisplay(TextWriter output, bool interactive, string header)
{
    private const int EventsShown = 8;
    private const string Escape = "\u001b[";

    private readonly List<string> _recentEvents = [];
    private int _linesShown;

    /// <summary>True when <paramref name="output"/> is a terminal that understands cursor movement.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected &&
        !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

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
        var lines = Frame(frame);
        var (width, height) = TerminalSize();
        if (lines.Count > height - 1)
        {
            lines = lines.Take(height - 1).ToList();
        }

        // Back to the first line of the previous frame, clear to the end of the screen, draw the new one. Lines are cut
        // to the terminal's width: a wrapped line would throw the count off.
        var text = new StringBuilder(Escape + "?25l"); // the cursor hidden while the table is redrawn
        if (_linesShown > 0)
        {
            text.Append(Escape).Append(_linesShown.ToString(CultureInfo.InvariantCulture)).Append('F');
        }

        text.Append(Escape).Append('J');
        foreach (var line in lines)
        {
            text.Append(line.Length >= width ? line[..(width - 1)] : line).Append('\n');
        }

        await output.WriteAsync(text.ToString());
        await output.FlushAsync();
        _linesShown = lines.Count;
    }

    /// <summary>Shows the cursor again on a terminal (the live display hides it), whatever ended the demo.</summary>
    public static async Task RestoreCursorAsync(TextWriter output)
    {
        if (IsInteractive(output))
        {
            await output.WriteAsync(Escape + "?25h");
        }
    }

    /// <summary>A line after the live display: the last frame stays on the screen above it.</summary>
    public async Task WriteLineAsync(string line)
    {
        if (interactive && _linesShown > 0)
        {
            await output.WriteAsync(Escape + "?25h"); // the cursor back
        }

        _linesShown = 0;
        await output.WriteLineAsync(line);
    }

    private List<string> Frame(DemoFrame frame)
    {
        var lines = new List<string> { $"{header} · {frame.Phase}", "" };
        lines.AddRange(frame.Status is { } status
            ? StatusCommand.Describe(status).Split('\n')
            : [$"(no status: {frame.Unavailable})"]);
        lines.Add("");
        lines.Add($"writer:   {Writer(frame.Writer)}");
        lines.Add($"          {string.Join(", ", frame.Writer.Counts.Select(c => $"{c.Script} {c.Count}"))}");
        lines.Add("");
        lines.Add("events:");
        lines.AddRange(_recentEvents.Select(e => "  " + e));
        return lines;
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

    private static (int Width, int Height) TerminalSize()
    {
        try
        {
            return (Math.Max(40, Console.WindowWidth), Math.Max(10, Console.WindowHeight));
        }
        catch (IOException)
        {
            return (120, 40); // no console size to be had: a size most terminals have
        }
    }
}
