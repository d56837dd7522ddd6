using ActorSync.Apply;
using ActorSync.Sql;
using Npgsql;

namespace ActorSync.Capture;

/// <summary>
/// Switching a sync from trigger capture to WAL capture (issue #20). The slot exists first (see
/// <see cref="WalInstaller"/>), so every change committed from then on is in the WAL; the triggers are then dropped,
/// and the delta they filled is drained by the trigger path before it is dropped: changes made between the slot's
/// creation and the drop of the triggers are in both, and applying them twice is harmless.
/// </summary>
public static class WalSwitch
{
    private static readonly string[] TriggerKinds = ["capture", "ins", "upd", "del", "truncate", "wake"];

    /// <summary>Drops the sync's capture triggers; true when the sync has a delta left from trigger capture.</summary>
    public static async Task<bool> DropTriggersAsync(NpgsqlConnection source, SyncPlan plan, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT pg_catalog.to_regclass($1) IS NOT NULL", source))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = plan.DeltaTable });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        await CaptureInstaller.RunScriptAsync(source, TriggerKinds.Select(kind =>
        {
            var trigger = CaptureScript.TriggerName(plan.Sync.SqlName, kind);
            return $"DROP TRIGGER IF EXISTS {Identifier.Quote(trigger)} ON {plan.SourceTable}";
        }), cancellationToken);
        return true;
    }

    /// <summary>Drops the sync's delta, its capture functions and its entry in the registry of captured syncs.</summary>
    public static Task DropDeltaAsync(NpgsqlConnection source, SyncPlan plan, CancellationToken cancellationToken)
    {
        var name = plan.Sync.SqlName;
        var statements = new List<string> { $"DROP TABLE IF EXISTS {plan.DeltaTable}" };
        statements.AddRange(TriggerKinds.Select(kind =>
        {
            var body =
                " DECLARE f regprocedure; BEGIN FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p " +
                $"WHERE p.pronamespace = 'actorsync'::regnamespace AND p.proname = {Literal.Quote(kind + "_" + name)} LOOP " +
                "EXECUTE 'DROP FUNCTION ' || f::text; END LOOP; END ";
            var tag = Literal.DollarTagFor(body);
            return $"DO {tag}{body}{tag}";
        }));
        statements.Add($"DELETE FROM actorsync.syncs WHERE sync_name = {Literal.Quote(name)}");
        return CaptureInstaller.RunScriptAsync(source, statements, cancellationToken);
    }
}
