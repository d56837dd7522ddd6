using System.Globalization;
using ActorSync.Actors;
using Akka.Actor;
using Microsoft.Extensions.Hosting;

namespace ActorSync.Hosting;

/// <summary>
/// While a sync copies its table, an interactive terminal shows a progress bar on stderr (issue 6: rows copied, rows
/// estimated, rate, ETA); the same figures go to the log every 10 s and to <c>/status</c>. Asks the engine, as every
/// other surface does. Does nothing when stderr is redirected (a service, a pipe, a file).
/// </summary>
public sealed class SnapshotProgressBar(EngineAccessor accessor) : BackgroundService
{
    private const int Width = 30;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Console.IsErrorRedirected)
        {
            return;
        }

        var shown = false;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (accessor.Engine is not { } engine || engine.System.WhenTerminated.IsCompleted)
                {
                    continue;
                }

                EngineStatus status;
                try
                {
                    status = await engine.GetStatusAsync(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (AskTimeoutException)
                {
                    continue;
                }

                var copying = status.Syncs.Where(s => s.Snapshot is not null).ToArray();
                if (copying.Length > 0)
                {
                    await Console.Error.WriteAsync("\r" + string.Join("  ", copying.Select(Render)) + "\u001b[K");
                    shown = true;
                }
                else if (shown)
                {
                    await Console.Error.WriteLineAsync();
                    shown = false;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    /// <summary>One sync's bar: <c>orders [#########.....] 61% 610,000/1,000,000 rows 212,304 rows/s ETA 00:00:02</c>.</summary>
    public static string Render(SyncStatus sync)
    {
        var snapshot = sync.Snapshot!;
        var fraction = snapshot.RowsEstimated > 0 ? Math.Clamp((double)snapshot.RowsCopied / snapshot.RowsEstimated, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * Width);
        var eta = snapshot.Eta is { } left ? left.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{sync.Name} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100:0}% " +
            $"{snapshot.RowsCopied:N0}/{snapshot.RowsEstimated:N0} rows {snapshot.RowsPerSecond:N0} rows/s ETA {eta}");
    }
}
