using ActorSync.Postgres;
using ActorSync.Sql;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>The faults the torture test injects (issue 9).</summary>
public enum FaultKind
{
    /// <summary><c>pg_terminate_backend</c> of ActorSync's connections (listener, read or write pools, or all).</summary>
    TerminateConnections,

    /// <summary>The ActorSync process killed with SIGKILL and started again; half the time just after a resync was asked for.</summary>
    KillProcess,

    /// <summary>The PostgreSQL server restarted in fast mode.</summary>
    RestartServerFast,

    /// <summary>The PostgreSQL server restarted in immediate mode (crash recovery on start).</summary>
    RestartServerImmediate,

    /// <summary>A target table locked (ACCESS EXCLUSIVE, transaction held open) for longer than the apply timeout.</summary>
    LockTarget,

    /// <summary>A target constraint that a source row violates, then dropped.</summary>
    ViolateConstraint,
}

/// <summary>
/// Injects one fault at a time, at random, while the workload runs; after each it waits for the service to say so in
/// its log (a restart or failure line per fault) and, for the faults it can end, for the sync to recover. What it did
/// not see is collected in <see cref="Missed"/>. Every kind is injected once, in a seeded random order, before kinds
/// are drawn at random, so even a short run covers them all.
/// </summary>
public sealed class FaultInjector(
    PostgresContainer server, NpgsqlDataSource admin, ServiceUnderTest service, IReadOnlyList<TortureSync> syncs,
    RandomWorkload workload, TortureSettings settings, TortureFigures figures, Action<string> log, string? walSlot = null)
{
    /// <summary>How long a fault may take to show in the log: backoff, apply timeout and a slow shared machine included.</summary>
    private static readonly TimeSpan MarkerTimeout = TimeSpan.FromSeconds(90);

    private readonly Random _random = new(unchecked(settings.Seed ^ 0x5EED));
    private readonly List<string> _missed = [];
    private int _injected;
    private int _terminated;

    /// <summary>Faults that did not show in the log as expected.</summary>
    public IReadOnlyList<string> Missed => _missed;

    /// <summary>True once every kind was injected at least once.</summary>
    public bool EveryKindInjected { get; private set; }

    /// <summary>Injects faults until <paramref name="stop"/> is cancelled and every kind was injected once.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var firstRound = Enum.GetValues<FaultKind>().OrderBy(_ => _random.Next()).ToArray();
        for (var n = 0; !stop.IsCancellationRequested || n < firstRound.Length; n++)
        {
            var gap = settings.MinFaultGap + ((settings.MaxFaultGap - settings.MinFaultGap) * _random.NextDouble());
            await Task.Delay(gap, CancellationToken.None);
            var kind = n < firstRound.Length ? firstRound[n] : (FaultKind)_random.Next(firstRound.Length);
            await InjectAsync(kind);
            EveryKindInjected |= n == firstRound.Length - 1;
        }
    }

    private async Task InjectAsync(FaultKind kind)
    {
        var number = ++_injected;
        var offset = service.Log.Length;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        figures.Add("fault." + kind);
        switch (kind)
        {
            case FaultKind.TerminateConnections:
                await TerminateAsync(number, offset);
                break;
            case FaultKind.KillProcess:
                await MaybeResyncAsync();
                var exitCode = await service.KillAndRestartAsync();
                if (exitCode == 0)
                {
                    _missed.Add($"fault {number} {kind}: the killed process exited with 0, so it was not killed");
                }

                // The new process's first line: it started again (after its check passed).
                await ExpectAsync(number, kind, offset, line => line.Contains("ActorSync", StringComparison.Ordinal) && line.Contains("starting with", StringComparison.Ordinal));
                break;
            case FaultKind.RestartServerFast:
            case FaultKind.RestartServerImmediate:
                await server.RestartAsync(kind == FaultKind.RestartServerFast ? PostgresShutdownMode.Fast : PostgresShutdownMode.Immediate);
                admin.Clear();
                foreach (var sync in syncs)
                {
                    sync.Source.Clear();
                    sync.Target.Clear();
                }

                await ExpectAsync(number, kind, offset, IsRestartLine);
                break;
            case FaultKind.LockTarget:
                await LockTargetAsync(number, offset);
                break;
            case FaultKind.ViolateConstraint:
                await ViolateConstraintAsync(number, offset);
                break;
        }

        log($"fault {number}: {kind} ({clock.Elapsed.TotalSeconds:0.0} s)");
    }

    /// <summary>Half the time, a resync of a random sync just before the kill: the kill may land in its copy, which must resume.</summary>
    private async Task MaybeResyncAsync()
    {
        if (_random.Next(2) == 0 || service.AdminUrl is not { } admin)
        {
            return;
        }

        var sync = syncs[_random.Next(syncs.Count)];
        using var client = new HttpClient { BaseAddress = admin };
        using var response = await client.PostAsync($"syncs/{sync.Name}/resync", null);
        figures.Add("fault.KillProcess.after-resync");
        await Task.Delay(_random.Next(0, 500));
    }

    private async Task TerminateAsync(int number, int offset)
    {
        // The first time every connection, so the listener's loss is certain to show; later one kind at random.
        // actorsync-wal is WAL capture's replication connection (issue #20); in trigger capture nothing has that name.
        var which = _terminated++ == 0 ? "actorsync-%" : new[] { "actorsync-%", "actorsync-listener", "actorsync-wal", "actorsync-read", "actorsync-write" }[_random.Next(5)];
        await using var command = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = which });
        var terminated = (long)(await command.ExecuteScalarAsync())!;
        figures.Add("fault.TerminateConnections.backends", terminated);
        if (terminated > 0)
        {
            // A terminated pool connection shows when it is next used; the listener's at once.
            await ExpectAsync(number, FaultKind.TerminateConnections, offset, IsRestartLine, required: which is "actorsync-%" or "actorsync-listener" or "actorsync-wal");
        }
    }

    private async Task LockTargetAsync(int number, int offset)
    {
        var sync = syncs[_random.Next(syncs.Count)];
        using (await workload.HoldTruncatesAsync())
        {
            await using var connection = await sync.Target.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {Quoted(sync.TargetTable)} IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            // Held until the apply gave up on it (lock_timeout 55P03 or statement_timeout 57014, both the apply timeout), so
            // longer than the apply timeout by construction.
            await sync.InsertMarkerRowAsync(number, $"lock {number}");
            offset = await ExpectAsync(
                number, FaultKind.LockTarget, offset,
                line => IsFailing(line, sync.Name) && (line.Contains("55P03", StringComparison.Ordinal) || line.Contains("57014", StringComparison.Ordinal)));
            await transaction.RollbackAsync();
        }

        await ExpectAsync(number, FaultKind.LockTarget, offset, line => line.Contains($"Sync {sync.Name}: recovered", StringComparison.Ordinal));
    }

    private async Task ViolateConstraintAsync(int number, int offset)
    {
        var sync = syncs[_random.Next(syncs.Count)];
        var constraint = $"torture_forbidden_{number}";
        var note = $"forbidden {number}";
        await CatchUpAsync();
        await ExecuteAsync(sync.Target, $"ALTER TABLE {Quoted(sync.TargetTable)} ADD CONSTRAINT {constraint} CHECK (note IS DISTINCT FROM {Literal.Quote(note)}) NOT VALID");
        using (await workload.HoldTruncatesAsync())
        {
            try
            {
                // The row must reach the target to violate: no TRUNCATE may take it away first.
                await sync.InsertMarkerRowAsync(1_000_000 + number, note);
                offset = await ExpectAsync(number, FaultKind.ViolateConstraint, offset, line => IsFailing(line, sync.Name) && line.Contains("23514", StringComparison.Ordinal));
            }
            finally
            {
                await ExecuteAsync(sync.Target, $"ALTER TABLE {Quoted(sync.TargetTable)} DROP CONSTRAINT {constraint}");
            }
        }

        await ExpectAsync(number, FaultKind.ViolateConstraint, offset, line => line.Contains($"Sync {sync.Name}: recovered", StringComparison.Ordinal));
    }

    /// <summary>
    /// With WAL capture, waits (writers paused) until the slot has confirmed everything written so far, so the marker
    /// row about to be written reaches the apply within <see cref="MarkerTimeout"/>. WAL capture does not slow the source
    /// (that is its point), so three unthrottled writers of multi-MB rows on a 2-core machine write WAL faster than the
    /// stream consumes it (measured: about 75 MB/s of WAL against 20 MB/s confirmed), and the lag can exceed the
    /// timeout. Trigger capture needs no wait: its triggers slow the writers down to what the service applies. The
    /// time waited is a figure of the run.
    /// </summary>
    private async Task CatchUpAsync()
    {
        if (walSlot is null)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (workload.PauseWriters())
        {
            await using var command = admin.CreateCommand(
                "SELECT coalesce(confirmed_flush_lsn >= $2::pg_lsn, false) FROM pg_replication_slots WHERE slot_name = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = walSlot });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = await CurrentLsnAsync() });
            while (clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                try
                {
                    if (await command.ExecuteScalarAsync() is true)
                    {
                        break;
                    }
                }
                catch (Exception error) when (error is NpgsqlException)
                {
                    // The server is back from an earlier fault's restart in a moment.
                }

                await Task.Delay(200);
            }
        }

        figures.Add("fault.ViolateConstraint.wal-catch-up-ms", (long)clock.Elapsed.TotalMilliseconds);
    }

    private async Task<string> CurrentLsnAsync()
    {
        await using var command = admin.CreateCommand("SELECT pg_current_wal_lsn()::text");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits for the line the fault must cause; returns the offset after it (where its consequences follow).</summary>
    private async Task<int> ExpectAsync(int number, FaultKind kind, int offset, Func<string, bool> match, bool required = true)
    {
        var found = await service.WaitForLineAsync(offset, match, MarkerTimeout);
        if (found is null && required)
        {
            _missed.Add($"fault {number} {kind}: the expected line did not appear in the log within {MarkerTimeout.TotalSeconds:0} s");
        }

        return found?.End ?? offset;
    }

    /// <summary>An actor of the service failed and was restarted (the guardian's one line per restart), or a sync failed.</summary>
    private static bool IsRestartLine(string line) =>
        line.Contains("failed and is restarted", StringComparison.Ordinal) || line.Contains(" is failing (attempt", StringComparison.Ordinal);

    private static bool IsFailing(string line, string sync) => line.Contains($"Sync {sync} is failing", StringComparison.Ordinal);

    private static string Quoted(string table) => Identifier.Quote(table);

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
