using System.Diagnostics;
using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace ActorSync.Tests.Reliability;

/// <summary>
/// Issue 9, "a torture test": a seeded random workload on four syncs at once (one in the same database, three into
/// another database: replace-mode, upsert-mode and a filtered column subset) while faults are injected at random into
/// the real <c>actorsync run</c> and its PostgreSQL server. At the end every target equals its source, no delta row is
/// left, and the log shows every fault. Once with trigger capture and once with WAL capture (issue #20). A short run by default; <c>ACTORSYNC_SOAK_MINUTES=N</c> soaks for N minutes and
/// <c>ACTORSYNC_TORTURE_SEED</c> replays a printed seed.
/// </summary>
[Collection(nameof(TortureTests))]
public sealed class TortureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task Under_random_writes_and_injected_faults_every_target_ends_equal_to_its_source(string capture)
    {
        var settings = TortureSettings.FromEnvironment();
        output.WriteLine($"torture ({capture} capture): {settings}");
        var clock = Stopwatch.StartNew();
        // A fixed port: the faults restart the server, and the service must find it where it was.
        await using var server = await PostgresContainer.StartAsync(fixedPort: true, purpose: "The torture test (it restarts its server)");
        var sourceConnectionString = await server.CreateDatabaseAsync("src");
        var targetConnectionString = await server.CreateDatabaseAsync("tgt");
        await using var admin = NpgsqlDataSource.Create(sourceConnectionString);
        await using var source = NpgsqlDataSource.Create(sourceConnectionString);
        await using var target = NpgsqlDataSource.Create(targetConnectionString);
        await using var writers = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(sourceConnectionString) { ApplicationName = "torture-writer" }.ConnectionString);
        await CreateTablesAsync(source, target);
        var variant = CaptureVariant.For(capture);
        await variant.RequireAsync(source);

        var figures = new TortureFigures();
        var workload = new RandomWorkload(writers, settings, figures);
        await workload.SeedAsync(2_000);
        TortureSync[] syncs =
        [
            new("same_db", source, "t_same", source, "t_same_copy", Composite: false),
            new("cross_db", source, "t_cross", target, "t_cross", Composite: false),
            new("filtered", source, "t_cross", target, "t_cross_filtered", Composite: false, Columns: "id, grp, note", Where: "grp % 3 <> 0"),
            new("composite", source, "t_comp", target, "t_comp", Composite: true),
        ];
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["main"] = sourceConnectionString, ["other"] = targetConnectionString },
            [
                "{ name = same_db, source = \"main:public.t_same\", target = \"main:public.t_same_copy\", create-target = true }",
                "{ name = cross_db, source = \"main:public.t_cross\", target = \"other:public.t_cross\" }",
                "{ name = filtered, source = \"main:public.t_cross\", target = \"other:public.t_cross_filtered\", columns = [id, grp, note], where = \"grp % 3 <> 0\" }",
                "{ name = composite, source = \"main:public.t_comp\", target = \"other:public.t_comp\" }",
            ],
            "defaults { apply-timeout = 2s, batch-size = 5000 }\n  admin { enabled = true, url = \"http://127.0.0.1:0\" }",
            // The server is this test's own: the slot's name (actorsync_main) meets no other test's.
            variant.Wal ? new Dictionary<string, string> { ["main"] = "capture-mode = wal" } : null);

        await using var service = ServiceUnderTest.Start("run", "--config", config.Path);
        try
        {
            await RunAsync(settings, clock, service, syncs, server, admin, workload, figures, variant.Wal ? "actorsync_main" : null);
        }
        finally
        {
            if (Environment.GetEnvironmentVariable(TortureSettings.LogVariable) is { Length: > 0 } path)
            {
                await File.WriteAllTextAsync(path, service.Log);
            }
        }
    }

    private async Task RunAsync(
        TortureSettings settings, Stopwatch clock, ServiceUnderTest service, TortureSync[] syncs, PostgresContainer server,
        NpgsqlDataSource admin, RandomWorkload workload, TortureFigures figures, string? walSlot)
    {
        foreach (var sync in syncs)
        {
            Assert.True(
                await service.WaitForLineAsync(0, line => line.Contains($"Sync {sync.Name}: caught up", StringComparison.Ordinal), TimeSpan.FromSeconds(90)) is not null,
                $"{settings}: sync {sync.Name} never caught up after its snapshot:\n{service.Log}");
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: started, snapshots done; workload and faults begin");
        using var stopWriting = new CancellationTokenSource();
        var writing = workload.RunAsync(stopWriting.Token);
        var injector = new FaultInjector(server, admin, service, syncs, workload, settings, figures, line => output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {line}"), walSlot);
        using (var stopFaults = new CancellationTokenSource(settings.Workload))
        {
            await injector.RunAsync(stopFaults.Token);
        }

        await stopWriting.CancelAsync();
        await writing;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: workload stopped; waiting for every target to converge");

        var converged = Stopwatch.StartNew();
        try
        {
            await Eventually.AssertAsync(
                async () =>
                {
                    foreach (var sync in syncs)
                    {
                        var (expected, actual) = await sync.FingerprintsAsync();
                        Assert.True(expected == actual, $"{settings}: sync {sync.Name}: target {actual} differs from source {expected}");
                        Assert.True(await sync.PendingAsync() == 0, $"{settings}: sync {sync.Name} has delta rows left");
                    }
                },
                TimeSpan.FromMinutes(3));
        }
        catch (Exception diverged)
        {
            // What the service and the server said at that moment: whether it stalled or lost rows.
            var differences = new List<string>();
            foreach (var sync in syncs)
            {
                differences.Add(await sync.DifferencesAsync());
            }

            throw new Xunit.Sdk.XunitException(
                $"{diverged.Message}\n--- at the end ---\n{string.Join("\n", differences)}\n{await DiagnoseAsync(service, admin, walSlot)}");
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: converged {converged.Elapsed.TotalSeconds:0.0} s after the workload stopped");

        var log = service.Log;
        service.Current.Terminate();
        var exitCode = await service.Current.WaitForExitAsync(TimeSpan.FromSeconds(30));
        figures.Add("service.incarnations", service.Incarnations);
        output.WriteLine($"figures after {clock.Elapsed.TotalMinutes:0.0} min ({settings}):\n{figures}");

        Assert.True(workload.Unexpected.Count == 0, $"{settings}: writers hit errors no fault explains:\n{string.Join("\n", workload.Unexpected.Take(20))}");
        Assert.True(injector.EveryKindInjected, $"{settings}: not every kind of fault was injected");
        Assert.True(injector.Missed.Count == 0, $"{settings}: faults the log does not show:\n{string.Join("\n", injector.Missed)}\n--- log ---\n{log}");
        Assert.Equal(figures["fault.KillProcess"] + 1, CountLines(log, "starting with"));
        Assert.True(figures["rows.written"] > 0 && figures["tx.truncate"] + figures["tx.big-row"] > 0, $"{settings}: the workload did too little:\n{figures}");
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal); // failures are one line each, never a stack trace
    }

    private static async Task<string> DiagnoseAsync(ServiceUnderTest service, NpgsqlDataSource admin, string? walSlot)
    {
        var text = new System.Text.StringBuilder();
        try
        {
            if (service.AdminUrl is { } url)
            {
                using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
                text.AppendLine("status: " + await client.GetStringAsync("status"));
            }

            if (walSlot is not null)
            {
                await using var command = admin.CreateCommand(
                    "SELECT format('slot %s: active %s, restart %s, confirmed %s, current %s', slot_name, active, restart_lsn, confirmed_flush_lsn, pg_current_wal_lsn()) FROM pg_replication_slots");
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    text.AppendLine(reader.GetString(0));
                }
            }
        }
        catch (Exception error) when (error is HttpRequestException or NpgsqlException or TaskCanceledException)
        {
            text.AppendLine("diagnosis incomplete: " + error.Message);
        }

        return text.ToString();
    }

    private static async Task CreateTablesAsync(NpgsqlDataSource source, NpgsqlDataSource target)
    {
        await EngineHarness.ExecuteAsync(source, $"""
            CREATE TABLE t_same ({RandomWorkload.Columns(composite: false)});
            CREATE TABLE t_cross ({RandomWorkload.Columns(composite: false)});
            CREATE TABLE t_comp ({RandomWorkload.Columns(composite: true)});
            """);

        // t_cross takes batches in replace mode (nothing depends on it); t_comp's own trigger makes its batches upserts.
        await EngineHarness.ExecuteAsync(target, $"""
            CREATE TABLE t_cross ({RandomWorkload.Columns(composite: false)});
            CREATE TABLE t_cross_filtered (id bigint PRIMARY KEY, grp int NOT NULL, note text);
            CREATE TABLE t_comp ({RandomWorkload.Columns(composite: true)});
            CREATE FUNCTION keep_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER keep_row BEFORE INSERT OR UPDATE ON t_comp FOR EACH ROW EXECUTE FUNCTION keep_row();
            """);
    }

    private static int CountLines(string log, string text) =>
        log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
}

/// <summary>The torture test runs alone: it restarts its own server and loads the machine.</summary>
[CollectionDefinition(nameof(TortureTests), DisableParallelization = true)]
public sealed class TortureTestsCollection;
