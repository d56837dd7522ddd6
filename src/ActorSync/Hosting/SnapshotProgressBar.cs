using System.Globalization;
using ActorSync.Actors;
using ActorSync.Cli;
using Akka.Actor;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorSync.Hosting;

/// <summary>
/// While a sync copies its table, an interactive terminal shows a Spectre.Console progress bar per sync on stderr
/// (issues 6 and 21: rows copied of rows estimated, rate, ETA); the same figures go to the log every 10 s and to
/// <c>/status</c>. Asks the engine, as every other surface does. Does nothing when stderr is redirected (a service, a
/// pipe, a file): the log lines are the progress there.
/// </summary>
public sealed class SnapshotProgressBar(EngineAccessor accessor) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>The columns of a sync's line: name, bar, percentage, rows, rate, ETA.</summary>
    public static ProgressColumn[] Columns() =>
    [
        new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RowsColumn(), new RateColumn(),
        new EtaColumn(),
    ];

    /// <summary>Moves a sync's task to what its status reports.</summary>
    public static void Update(ProgressTask task, SnapshotStatusReport snapshot)
    {
        task.MaxValue = Math.Max(1, snapshot.RowsEstimated);
        task.Value = Math.Min(snapshot.RowsCopied, task.MaxValue);
        task.State.Update<long>("copied", _ => snapshot.RowsCopied);
        task.State.Update<long>("estimated", _ => snapshot.RowsEstimated);
        task.State.Update<double>("rate", _ => snapshot.RowsPerSecond);
        task.State.Update<TimeSpan>("eta", _ => snapshot.Eta ?? TimeSpan.MinValue);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Terminal.IsInteractive(Console.Error))
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await CopyingAsync(stoppingToken) is { Length: > 0 })
                {
                    await ShowAsync(stoppingToken);
                }

                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    // One progress display for as long as some sync copies; a bar per sync, completed when its copy ends.
    private async Task ShowAsync(CancellationToken stoppingToken)
    {
        await Terminal.For(Console.Error).Progress().AutoClear(false).HideCompleted(false).Columns(Columns()).StartAsync(async context =>
        {
            var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
            while (!stoppingToken.IsCancellationRequested)
            {
                var copying = await CopyingAsync(stoppingToken);
                if (copying is null)
                {
                    await Task.Delay(Interval, stoppingToken);
                    continue;
                }

                foreach (var sync in copying)
                {
                    if (!tasks.TryGetValue(sync.Name, out var task))
                    {
                        tasks[sync.Name] = task = context.AddTask(Markup.Escape(sync.Name));
                    }

                    Update(task, sync.Snapshot!);
                }

                foreach (var (name, task) in tasks.Where(t => !t.Value.IsFinished && copying.All(s => s.Name != t.Key)))
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                }

                if (copying.Length == 0)
                {
                    return;
                }

                await Task.Delay(Interval, stoppingToken);
            }
        });
    }

    /// <summary>The syncs copying now, or null when the engine did not answer.</summary>
    private async Task<SyncStatus[]?> CopyingAsync(CancellationToken stoppingToken)
    {
        if (accessor.Engine is not { } engine || engine.System.WhenTerminated.IsCompleted)
        {
            return null;
        }

        try
        {
            var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(2), stoppingToken);
            return status.Syncs.Where(s => s.Snapshot is not null).ToArray();
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary><c>610,000/1,000,000 rows</c>.</summary>
    private sealed class RowsColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(
                CultureInfo.InvariantCulture, $"{task.State.Get<long>("copied"):N0}/{task.State.Get<long>("estimated"):N0} rows"));
    }

    /// <summary><c>212,305 rows/s</c>, as the copy measures it.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.State.Get<double>("rate"):N0} rows/s"));
    }

    /// <summary><c>ETA 00:00:02</c>, or <c>ETA --:--:--</c> before there is a rate.</summary>
    private sealed class EtaColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text("ETA " + (task.State.Get<TimeSpan>("eta") is var eta && eta >= TimeSpan.Zero
                ? eta.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)
                : "--:--:--"));
    }
}
