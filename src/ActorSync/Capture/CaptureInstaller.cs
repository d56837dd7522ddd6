using ActorSync.Apply;
using Npgsql;

namespace ActorSync.Capture;

/// <summary>
/// Installs and removes ActorSync's objects. Each install runs in one transaction under a database-wide advisory lock,
/// so syncs starting side by side never race on the shared schema, and a failure leaves nothing half-installed.
/// </summary>
public static class CaptureInstaller
{
    /// <summary>Installs capture for <paramref name="plan"/> on its source database (idempotent).</summary>
    public static Task InstallCaptureAsync(
        NpgsqlConnection source, SyncPlan plan, CaptureMode mode, CancellationToken cancellationToken) =>
        RunScriptAsync(source, [CaptureScript.Schema, .. CaptureScript.ForSync(plan, mode)], cancellationToken);

    /// <summary>
    /// Prepares the target database: ActorSync's state tables, the stage table (cross-database syncs) and, with
    /// create-target, the target table itself.
    /// </summary>
    public static Task InstallTargetAsync(NpgsqlConnection target, SyncPlan plan, CancellationToken cancellationToken) =>
        RunScriptAsync(target, TargetStatements(plan), cancellationToken);

    /// <summary>ActorSync's state tables in a target database (idempotent), before anything reads them.</summary>
    public static Task InstallTargetStateAsync(NpgsqlConnection target, CancellationToken cancellationToken) =>
        RunScriptAsync(target, [Sql.SqlTemplate.Render("target/schema.sql", new Dictionary<string, string>())], cancellationToken);

    /// <summary>The target-side statements, in order (also what <c>check --dry-run</c> prints).</summary>
    public static IReadOnlyList<string> TargetStatements(SyncPlan plan)
    {
        var statements = new List<string> { Sql.SqlTemplate.Render("target/schema.sql", new Dictionary<string, string>()) };
        if (plan.Target is null)
        {
            statements.Add("-- create-target: the target table, from the source's definition.\n" + plan.CreateTargetSql() + ";");
        }

        // A group member stages its rows in one database too: its batch is applied with the other members' (issue #19).
        if (!plan.Sync.SameDatabase || plan.Grouped)
        {
            statements.Add(plan.StageDdl);
        }

        return statements;
    }

    /// <summary>Removes everything ActorSync installed in the connection's database, and nothing else.</summary>
    public static Task UninstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        RunScriptAsync(connection, [CaptureScript.Uninstall], cancellationToken);

    /// <summary>Runs <paramref name="statements"/> in one transaction under the capture installation lock.</summary>
    internal static async Task RunScriptAsync(
        NpgsqlConnection connection, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, 0)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
