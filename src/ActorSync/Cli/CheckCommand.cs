using System.CommandLine;
using ActorSync.Actors;
using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Postgres;
using ActorSync.State;
using Npgsql;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync check [--config PATH] [--dry-run]</c>: validates the configuration, connects to every database, checks
/// every table, key and column, and prints the plan; <c>--dry-run</c> prints the exact SQL <c>run</c> would install.
/// Reads only. Exit 2 on any problem, listing all of them.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var config = CliConfig.CreateOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL that run would install, and change nothing." };
        var command = new Command("check", "Check the configuration, the databases and every sync's tables, and print the plan.") { config, dryRun };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = await CliConfig.LoadAsync(parseResult, config, cancellationToken);
            if (configuration is null)
            {
                return ExitCodes.BadInput;
            }

            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var result = await InspectAsync(configuration, cancellationToken);
            foreach (var warning in result.Warnings)
            {
                await error.WriteLineAsync($"warning: {warning}".AsMemory(), cancellationToken);
            }

            if (result.Problems.Count > 0)
            {
                foreach (var problem in result.Problems)
                {
                    await error.WriteLineAsync(problem.AsMemory(), cancellationToken);
                }

                await error.WriteLineAsync(
                    $"{result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")} found; nothing was changed.".AsMemory(), cancellationToken);
                return ExitCodes.BadInput;
            }

            await output.WriteAsync(parseResult.GetValue(dryRun) ? DryRun(result) : Describe(configuration, result));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Everything check finds: a plan per sync, or the problems.</summary>
    public sealed record CheckResult(IReadOnlyList<PlannedSync> Syncs, IReadOnlyList<string> Problems)
    {
        /// <summary>The consistent groups formed (issue #19), with their warnings.</summary>
        public GroupLayout Groups { get; init; } = GroupLayout.None;

        /// <summary>What does not stop a run but deserves attention (an unlimited <c>max_slot_wal_keep_size</c>).</summary>
        public IReadOnlyList<string> Warnings { get; init; } = [];

        /// <summary>WAL capture: the replica identity statement <c>run</c> executes per sync that opted in (<c>replica-identity</c>).</summary>
        public IReadOnlyDictionary<string, string> ReplicaIdentityStatements { get; init; } = new Dictionary<string, string>();
    }

    /// <summary>One planned sync and what its first run will do.</summary>
    public sealed record PlannedSync(SyncPlan Plan, string SnapshotState);

    /// <summary>Connects to every database the syncs use and plans every sync; lists every problem.</summary>
    public static async Task<CheckResult> InspectAsync(ActorSyncConfiguration configuration, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var connections = new Dictionary<string, NpgsqlConnection>(StringComparer.Ordinal);
        var planned = new List<PlannedSync>();
        var groups = GroupLayout.None;
        WalPreflight.Result? wal = null;
        try
        {
            var enabled = configuration.Syncs.Where(s => s.Enabled).ToArray();
            // All databases at once (each probe mostly waits on its server); problems in configuration order.
            var names = enabled.SelectMany(s => new[] { s.Source.Database, s.Target.Database }).Distinct(StringComparer.Ordinal).ToArray();
            var probes = await Task.WhenAll(names.Select(name => DatabaseProbe.OpenAsync(name, configuration.Options.Databases[name], cancellationToken)));
            foreach (var (name, (connection, problem, _)) in names.Zip(probes))
            {
                if (connection is not null)
                {
                    connections[name] = connection;
                }
                else
                {
                    problems.Add(problem!);
                }
            }

            foreach (var sync in enabled)
            {
                if (!connections.TryGetValue(sync.Source.Database, out var source) || !connections.TryGetValue(sync.Target.Database, out var target))
                {
                    continue;
                }

                var result = await SyncInspector.InspectAsync(sync, source, target, cancellationToken);
                if (result.Plan is { } plan)
                {
                    planned.Add(new PlannedSync(plan, await SnapshotStateAsync(plan, target, cancellationToken)));
                }
                else
                {
                    problems.AddRange(result.Problems);
                }
            }

            if (enabled.All(s => connections.ContainsKey(s.Target.Database)))
            {
                groups = await GroupPlanner.LayoutAsync(enabled, (name, _) => Task.FromResult(connections[name]), cancellationToken, dispose: false);
                problems.AddRange(groups.Problems);
            }

            // WAL capture's needs, before anything is installed (issue #20): wal_level, privileges, slots, replica identity.
            wal = await WalPreflight.CheckAsync(
                configuration.Options, planned.Select(p => p.Plan).ToArray(), connections, enabled.Select(s => s.Source.Database), cancellationToken);
            problems.AddRange(wal.Problems);
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }

        return new CheckResult(planned, problems)
        {
            Groups = groups,
            Warnings = wal?.Warnings ?? [],
            ReplicaIdentityStatements = wal?.ReplicaIdentityStatements ?? new Dictionary<string, string>(),
        };
    }

    private static async Task<string> SnapshotStateAsync(SyncPlan plan, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('actorsync.sync_state') IS NOT NULL", target))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return "first run: install capture, copy the table, then stream";
            }
        }

        var state = await SyncStateStore.ReadAsync(target, plan.Sync.SqlName, cancellationToken);
        return state switch
        {
            null => "first run: install capture, copy the table, then stream",
            _ when state.ConfigFingerprint != plan.Fingerprint => "configuration changed since the last copy: copy the table again, then stream",
            { SnapshotStatus: SnapshotStatus.Copying } => "resume the interrupted copy, then stream",
            { SnapshotStatus: SnapshotStatus.Pending } => "copy the table, then stream",
            { Paused: true } => "paused (resume with POST /syncs/{sync}/resume)",
            _ => "stream changes (copy done)",
        };
    }

    private static string Describe(ActorSyncConfiguration configuration, CheckResult result)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Configuration ").Append(configuration.Path).Append(": ")
            .Append(result.Syncs.Count).Append(" sync(s), all checks passed.\n");
        foreach (var disabled in configuration.Syncs.Where(s => !s.Enabled))
        {
            text.Append("\nsync ").Append(disabled.Name).Append(": disabled (enabled = false): not checked, not run\n");
        }

        foreach (var (plan, snapshot) in result.Syncs)
        {
            var sync = plan.Sync;
            text.Append("\nsync ").Append(sync.Name).Append(": ").Append(sync.Source).Append(" -> ").Append(sync.Target).Append('\n')
                .Append("  key:      ").Append(string.Join(", ", plan.Keys.Select(k => $"{k.Name} ({k.SourceType})"))).Append('\n')
                .Append("  columns:  ").Append(string.Join(", ", plan.Columns.Select(c => c.NeedsCast ? $"{c.Name} ({c.SourceType} -> {c.TargetType})" : c.Name))).Append('\n');
            if (sync.Where is not null)
            {
                text.Append("  where:    ").Append(sync.Where).Append('\n');
            }

            text.Append("  target:   ").Append(plan.Target is null ? "missing: will be created (create-target)" : "exists, compatible").Append('\n')
                .Append("  apply:    ").Append(sync.SameDatabase ? "same database: apply and delta delete in one transaction" : $"{(plan.BinaryCopy ? "binary" : "text")} COPY between databases")
                .Append(", batches of ").Append(sync.BatchSize).Append('\n')
                .Append("  capture:  ").Append(sync.CaptureMode.ToString().ToLowerInvariant()).Append(" triggers into ").Append(plan.DeltaTable).Append('\n')
                .Append("  next run: ").Append(snapshot).Append('\n');
        }

        GroupReport.Append(text, result.Groups);
        return text.ToString();
    }

    private static string DryRun(CheckResult result)
    {
        var text = new System.Text.StringBuilder("-- ActorSync: the SQL `actorsync run` would install (nothing was changed).\n");
        foreach (var database in result.Syncs.Select(s => s.Plan.Sync.Source.Database).Distinct(StringComparer.Ordinal))
        {
            var syncs = result.Syncs.Where(s => s.Plan.Sync.Source.Database == database).Select(s => s.Plan.Sync).ToArray();
            if (syncs.All(s => s.CaptureMode == CaptureMode.Wal))
            {
                // WAL capture: one publication and one slot for the whole database, nothing per sync (issue #20).
                text.Append("\n-- ==== database ").Append(database).Append(": WAL capture ====\n");
                foreach (var sync in syncs.Where(s => result.ReplicaIdentityStatements.ContainsKey(s.Name)))
                {
                    // Run first, as the sync's replica-identity opts in: the WAL must carry the key before it is published.
                    text.Append("-- sync ").Append(sync.Name).Append(": replica-identity = ").Append(sync.ReplicaIdentity.ToString()!.ToLowerInvariant()).Append('\n')
                        .Append(result.ReplicaIdentityStatements[sync.Name]).Append('\n');
                }

                foreach (var statement in WalInstaller.Statements(database, syncs.Select(s => s.Source)))
                {
                    text.Append(statement).Append('\n');
                }

                continue;
            }

            text.Append("\n-- ==== database ").Append(database).Append(": capture ====\n").Append(CaptureScript.Schema).Append('\n');
            foreach (var (plan, _) in result.Syncs.Where(s => s.Plan.Sync.Source.Database == database))
            {
                text.Append("\n-- ---- sync ").Append(plan.Sync.Name).Append(" ----\n");
                foreach (var statement in CaptureScript.ForSync(plan, plan.Sync.CaptureMode))
                {
                    text.Append(statement).Append('\n');
                }
            }
        }

        foreach (var database in result.Syncs.Select(s => s.Plan.Sync.Target.Database).Distinct(StringComparer.Ordinal))
        {
            text.Append("\n-- ==== database ").Append(database).Append(": target state ====\n");
            foreach (var (plan, _) in result.Syncs.Where(s => s.Plan.Sync.Target.Database == database))
            {
                text.Append("\n-- ---- sync ").Append(plan.Sync.Name).Append(" ----\n");
                foreach (var statement in CaptureInstaller.TargetStatements(plan))
                {
                    text.Append(statement).Append('\n');
                }
            }
        }

        return text.ToString();
    }
}
