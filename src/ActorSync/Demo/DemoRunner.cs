using System.Diagnostics;
using System.Globalization;
using ActorSync.Admin;
using ActorSync.Apply;
using ActorSync.Cli;
using ActorSync.Hosting;
using ActorSync.Postgres;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ActorSync.Demo;

/// <summary>What <c>actorsync demo</c> was asked for.</summary>
/// <param name="Duration">Stop by itself after this long; null runs until Ctrl+C.</param>
/// <param name="TransactionsPerSecond">The writer's rate.</param>
public sealed record DemoOptions(TimeSpan? Duration, int TransactionsPerSecond = 40);

/// <summary>
/// <c>actorsync demo</c> from start to verdict: a throwaway server with the compose demo's databases, the service
/// in this process, the writer and the live status; then, on stop, the catch-up and the comparison of every target with
/// its source. Returns 0 only when every target matches. The server is removed on every path.
/// </summary>
public sealed class DemoRunner
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(2);

    private readonly DemoOptions _options;
    private readonly TextWriter _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly DemoLog _log = new();
    private DemoDisplay? _display;

    private DemoRunner(DemoOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        _options = options;
        _output = output;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var runner = new DemoRunner(options, output, cancellationToken);
        using (runner._stop)
        using (runner._abort)
        using (new DemoSignals(runner._stop, runner._abort))
        {
            try
            {
                await output.WriteLineAsync("Starting a throwaway PostgreSQL server from the local server binaries ...");
                int exitCode;
                await using (var server = await TemporaryPostgresServer.StartAsync(new TemporaryPostgresServerOptions { Fsync = false }, runner._abort.Token))
                {
                    exitCode = await runner.RunAsync(server);
                }

                await output.WriteLineAsync("Stopped ActorSync; the PostgreSQL server and its folder are removed.");
                return exitCode;
            }
            catch (OperationCanceledException) when (runner._abort.IsCancellationRequested)
            {
                await runner.StopDisplayAsync();
                await output.WriteLineAsync("\nInterrupted: nothing was verified. The PostgreSQL server and its folder are removed.");
                return ExitCodes.Failure;
            }
            finally
            {
                // Whatever ended the demo: the live display ends (and gives the cursor back) before anything else is printed.
                await runner.StopDisplayAsync();
            }
        }
    }

    private Task StopDisplayAsync() => _display?.StopAsync() ?? Task.CompletedTask;

    private async Task<int> RunAsync(TemporaryPostgresServer server)
    {
        var abort = _abort.Token;
        await _output.WriteLineAsync($"PostgreSQL {server.MajorVersion} on 127.0.0.1:{server.Port}, in {server.RootDirectory} (removed at the end)");
        var connectionStrings = await DemoSetup.CreateDatabasesAsync(server, abort);
        await _output.WriteLineAsync("Created the databases shop (the sources, with rows) and reporting (the targets) from db/demo");
        var configuration = DemoSetup.Configuration(connectionStrings);
        var check = await CheckCommand.InspectAsync(configuration, abort);
        if (check.Problems.Count > 0)
        {
            await _output.WriteLineAsync(string.Join("\n", check.Problems.Prepend("The demo's syncs do not check out:")));
            return ExitCodes.Failure;
        }

        var plans = check.Syncs.Select(s => s.Plan).ToArray();
        await _output.WriteLineAsync(string.Join("\n", plans.Select(p => $"  sync {p.Sync.Name}: {p.Sync.Source} -> {p.Sync.Target}" +
            (p.Sync.Columns is null ? "" : $", columns {string.Join(", ", p.Sync.Columns)}") + (p.Sync.Where is null ? "" : $", where {p.Sync.Where}"))));

        var databases = connectionStrings.ToDictionary(d => d.Key, d => NpgsqlDataSource.Create(d.Value), StringComparer.Ordinal);
        using var host = ActorSyncHost.Build(configuration, _log.Configure, services => services.AddSingleton<IHostLifetime, DemoHostLifetime>());
        try
        {
            await host.StartAsync(abort);
            var exit = host.Services.GetRequiredService<ServiceExit>();
            if (exit.ExitCode != ExitCodes.Ok)
            {
                // The actor system did not start; the log line says why.
                return exit.ExitCode;
            }

            return await WatchAndVerifyAsync(host, plans, databases);
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
            foreach (var database in databases.Values)
            {
                await database.DisposeAsync();
            }
        }
    }

    private async Task<int> WatchAndVerifyAsync(IHost host, IReadOnlyList<SyncPlan> plans, IReadOnlyDictionary<string, NpgsqlDataSource> databases)
    {
        var admin = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(none)";
        await _output.WriteLineAsync($"ActorSync runs in this process; its admin endpoint is {admin}. From another terminal:");
        await _output.WriteLineAsync($"  dotnet run --project src/ActorSync -- status --url {admin}    or    curl {admin}/metrics");
        await _output.WriteLineAsync(_options.Duration is { } limit
            ? $"The writer runs for {Format(limit)} (Ctrl+C stops it sooner); then the targets are compared with their sources.\n"
            : "The writer runs until Ctrl+C; then the targets are compared with their sources.\n");

        var session = new Session(host, new DemoWriter(databases["shop"], _options.TransactionsPerSecond), this, admin);
        _display = session.Display;
        var writing = Task.Run(() => session.Writer.RunAsync(_stop.Token));
        if (_options.Duration is { } duration)
        {
            _stop.CancelAfter(duration);
        }

        await session.ShowUntilAsync(
            () => $"running {Format(session.Clock.Elapsed)}{(_options.Duration is { } d ? " of " + Format(d) : "")} · Ctrl+C stops",
            _ => Task.FromResult(_stop.IsCancellationRequested || writing.IsCompleted || session.HostStopping),
            timeout: null);
        await _stop.CancelAsync();
        await writing; // a writer that failed ends the demo with its error
        if (session.HostStopping)
        {
            await session.Display.WriteLineAsync("The service stopped on its own (see the events above): not verified.");
            return ExitCodes.Failure;
        }

        var catchUp = Stopwatch.StartNew();
        var caughtUp = await session.ShowUntilAsync(
            () => $"writer stopped after {session.Writer.Transactions} transactions · catching up {Format(catchUp.Elapsed)}",
            status => status is null ? Task.FromResult(false) : DemoVerifier.IsCaughtUpAsync(status, plans, databases, _abort.Token),
            CatchUpTimeout);
        await session.Display.WriteLineAsync(caughtUp
            ? FormattableString.Invariant($"\nThe writer stopped after {session.Writer.Transactions} transactions; every sync caught up {catchUp.Elapsed.TotalSeconds:0.0} s later.")
            : $"\nThe syncs did not catch up within {Format(CatchUpTimeout)}; comparing anyway.");

        var verdicts = await DemoVerifier.CompareAsync(plans, databases, _abort.Token);
        await _output.WriteLineAsync("Each target against its source (row count, and an ordered hash of the synced columns):");
        var nameWidth = verdicts.Max(v => v.Sync.Length);
        var targetWidth = verdicts.Max(v => v.Target.Length);
        foreach (var verdict in verdicts)
        {
            var rows = verdict.SourceRows == verdict.TargetRows
                ? Count(verdict.SourceRows) + " rows"
                : $"{Count(verdict.SourceRows)} rows in the source, {Count(verdict.TargetRows)} in the target";
            await _output.WriteLineAsync($"  {verdict.Sync.PadRight(nameWidth)}  {verdict.Target.PadRight(targetWidth)}  {rows.PadLeft(11)}  {(verdict.Match ? "match" : "MISMATCH")}");
        }

        var differing = verdicts.Count(v => !v.Match);
        await _output.WriteLineAsync(differing == 0 && caughtUp
            ? $"\nVerdict: match. All {verdicts.Count} targets equal their sources."
            : $"\nVerdict: MISMATCH. {differing} of {verdicts.Count} targets differ from their sources{(caughtUp ? "" : " (they had not caught up)")}.");
        return differing == 0 && caughtUp ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Format(TimeSpan span) => span.TotalSeconds < 90
        ? ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
        : FormattableString.Invariant($"{(int)span.TotalMinutes}m{span.Seconds:00}s");

    private static string Count(long rows) => rows.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The running parts the live display reads.</summary>
    private sealed class Session(IHost host, DemoWriter writer, DemoRunner runner, string admin)
    {
        private readonly AdminEngine _engine = host.Services.GetRequiredService<AdminEngine>();
        private readonly IHostApplicationLifetime _lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        public DemoWriter Writer => writer;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public DemoDisplay Display { get; } = new(runner._output, DemoDisplay.IsInteractive(runner._output), $"ActorSync demo · admin {admin}");

        public bool HostStopping => _lifetime.ApplicationStopping.IsCancellationRequested;

        /// <summary>Shows a frame per interval until <paramref name="done"/> says so (true) or the timeout passes (false).</summary>
        public async Task<bool> ShowUntilAsync(Func<string> phase, Func<StatusResponse?, Task<bool>> done, TimeSpan? timeout)
        {
            var abort = runner._abort.Token;
            var started = Stopwatch.StartNew();
            while (true)
            {
                StatusResponse? status = null;
                string? unavailable = null;
                try
                {
                    (status, _) = await _engine.GetStatusAsync(abort);
                }
                catch (EngineUnavailableException exception)
                {
                    unavailable = exception.Message;
                }

                await Display.ShowAsync(new DemoFrame(phase(), Clock.Elapsed, status, unavailable, Writer, runner._log.Drain()));
                if (await done(status))
                {
                    return true;
                }

                if (started.Elapsed > timeout)
                {
                    return false;
                }

                await Task.Delay(Display.Interval, abort);
            }
        }
    }
}
