using ActorSync.Apply;
using ActorSync.Sql;

namespace ActorSync.Capture;

/// <summary>
/// The SQL that installs capture for one sync on its source database, rendered from the templates under
/// <c>db/capture/</c>. <c>run</c> executes it in one transaction; <c>check --dry-run</c> prints it.
/// </summary>
public static class CaptureScript
{
    /// <summary>The first key of the wake-up advisory lock, shared by every sync: 'ASYC'.</summary>
    public const int LockClass = 0x41535943;

    /// <summary>Trigger name suffixes ActorSync may attach to a source table, in every capture mode.</summary>
    private static readonly string[] TriggerKinds = ["capture", "ins", "upd", "del", "truncate", "wake"];

    /// <summary>The schema and registry, once per source database.</summary>
    public static string Schema => SqlTemplate.Render("capture/schema.sql", new Dictionary<string, string>());

    /// <summary>Everything ActorSync installed in a database, removed (<c>actorsync uninstall</c>).</summary>
    public static string Uninstall => SqlTemplate.Render("uninstall.sql", new Dictionary<string, string>());

    /// <summary>
    /// The second key of the sync's wake-up advisory lock: a stable 32-bit FNV-1a hash of its name. Two syncs that
    /// collide merely share a lock: a few extra wake-ups, never a missed one.
    /// </summary>
    public static int LockKey(string syncName)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(syncName))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return unchecked((int)hash);
    }

    /// <summary>The statements installing capture for <paramref name="plan"/>, in order. All are idempotent.</summary>
    public static IReadOnlyList<string> ForSync(SyncPlan plan, CaptureMode mode)
    {
        var name = plan.Sync.SqlName;
        var keyList = string.Join(", ", plan.Keys.Select(k => k.Quoted));
        var statements = new List<string>
        {
            SqlTemplate.Render("capture/delta.sql", new Dictionary<string, string>
            {
                ["sync_literal"] = Literal.Quote(name),
                ["delta"] = plan.DeltaTable,
                ["key_definitions"] = string.Join(",\n    ", plan.Keys.Select(k => $"{k.Quoted} {k.SourceType}")),
                ["source_schema_literal"] = Literal.Quote(plan.Sync.Source.Schema),
                ["source_table_literal"] = Literal.Quote(plan.Sync.Source.Table),
                ["delta_literal"] = Literal.Quote("delta_" + name),
                ["delta_qualified_literal"] = Literal.Quote(plan.DeltaTable),
                ["key_array_literal"] = Literal.TextArray(plan.Keys.Select(k => $"{k.Name} {k.SourceType}")),
                ["mode_literal"] = Literal.Quote(mode.ToString().ToLowerInvariant()),
            }),
        };

        var wanted = new List<string>();
        void Trigger(string kind, string events, string level, string referencing, string function)
        {
            wanted.Add(kind);
            statements.Add(SqlTemplate.Render("capture/trigger.sql", new Dictionary<string, string>
            {
                ["trigger_literal"] = Literal.Quote(TriggerName(name, kind)),
                ["trigger"] = Identifier.Quote(TriggerName(name, kind)),
                ["source_literal"] = Literal.Quote(plan.SourceTable),
                ["source"] = plan.SourceTable,
                ["events"] = events,
                ["level"] = level,
                ["referencing"] = referencing,
                ["function"] = function,
            }));
        }

        void StatementLevel(string kind, string events, string referencing, string selectKeys)
        {
            var function = FunctionName(name, kind);
            statements.Add(SqlTemplate.Render("capture/statement.sql", new Dictionary<string, string>
            {
                ["sync_literal"] = Literal.Quote(name),
                ["events"] = events,
                ["function"] = function,
                ["delta"] = plan.DeltaTable,
                ["key_list"] = keyList,
                ["select_keys"] = selectKeys,
            }));
            Trigger(kind, events, "STATEMENT", referencing, function);
        }

        var rowEvents = mode switch
        {
            CaptureMode.Row => "INSERT OR UPDATE OR DELETE",
            CaptureMode.Auto => "UPDATE OR DELETE",
            _ => null,
        };
        if (mode is CaptureMode.Statement or CaptureMode.Auto)
        {
            StatementLevel("ins", "INSERT", "REFERENCING NEW TABLE AS actorsync_new", $"SELECT {keyList} FROM actorsync_new");
        }

        if (mode is CaptureMode.Statement)
        {
            StatementLevel(
                "upd", "UPDATE", "REFERENCING OLD TABLE AS actorsync_old NEW TABLE AS actorsync_new",
                $"SELECT {keyList} FROM actorsync_new UNION SELECT {keyList} FROM actorsync_old");
            StatementLevel("del", "DELETE", "REFERENCING OLD TABLE AS actorsync_old", $"SELECT {keyList} FROM actorsync_old");
        }

        if (rowEvents is not null)
        {
            var function = FunctionName(name, "capture");
            statements.Add(SqlTemplate.Render("capture/row.sql", new Dictionary<string, string>
            {
                ["sync_literal"] = Literal.Quote(name),
                ["function"] = function,
                ["delta"] = plan.DeltaTable,
                ["key_list"] = keyList,
                ["old_keys"] = string.Join(", ", plan.Keys.Select(k => "OLD." + k.Quoted)),
                ["new_keys"] = string.Join(", ", plan.Keys.Select(k => "NEW." + k.Quoted)),
            }));
            Trigger("capture", rowEvents, "ROW", "", function);
        }

        var truncate = FunctionName(name, "truncate");
        statements.Add(SqlTemplate.Render("capture/truncate.sql", new Dictionary<string, string>
        {
            ["sync_literal"] = Literal.Quote(name),
            ["function"] = truncate,
            ["delta"] = plan.DeltaTable,
        }));
        Trigger("truncate", "TRUNCATE", "STATEMENT", "", truncate);

        var wake = FunctionName(name, "wake");
        statements.Add(SqlTemplate.Render("capture/wake.sql", new Dictionary<string, string>
        {
            ["sync_literal"] = Literal.Quote(name),
            ["function"] = wake,
            ["lock_class"] = Literal.Number(LockClass),
            ["lock_key"] = Literal.Number(LockKey(name)),
        }));
        Trigger("wake", "INSERT OR UPDATE OR DELETE OR TRUNCATE", "STATEMENT", "", wake);

        // A change of capture mode leaves triggers of the old mode behind: remove them.
        foreach (var stale in TriggerKinds.Except(wanted))
        {
            statements.Add(DropTriggerIfExists(plan.SourceTable, TriggerName(name, stale)));
        }

        return statements;
    }

    /// <summary>The name of one of the sync's triggers on its source table.</summary>
    public static string TriggerName(string syncName, string kind) => $"actorsync_{syncName}_{kind}";

    private static string FunctionName(string syncName, string kind) => Identifier.Quote("actorsync", $"{kind}_{syncName}");

    private static string DropTriggerIfExists(string table, string trigger)
    {
        var body =
            $"\nBEGIN\n    IF EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgrelid = {Literal.Quote(table)}::regclass " +
            $"AND tgname = {Literal.Quote(trigger)}) THEN\n        DROP TRIGGER {Identifier.Quote(trigger)} ON {table};\n    END IF;\nEND\n";
        var tag = Literal.DollarTagFor(body);
        return $"-- Capture mode changed: {trigger} is no longer used.\nDO {tag}{body}{tag};\n";
    }
}
