using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Sql;
using Npgsql;

namespace ActorSync.Capture;

/// <summary>
/// What WAL capture (<c>databases.NAME.capture-mode = wal</c>, issue #20) needs from a source database, checked by
/// <c>check</c> and by <c>run</c> before anything is installed: <c>wal_level = logical</c>; a role with the REPLICATION
/// attribute (or superuser); the right to create or extend the publication (ownership of every synced table, or a
/// publication that already covers them); a free replication slot unless ours exists; a free WAL sender; and, per sync,
/// a replica identity that puts the sync's key columns in the WAL for UPDATE and DELETE. Each problem names the
/// database (and the sync and table) and says what to run. Reads only; never changes a replica identity on its own.
/// </summary>
public static class WalPreflight
{
    // One round trip per database. current_setting(..., true) is null where the setting does not exist
    // (max_slot_wal_keep_size came in PostgreSQL 13). pg_has_role(owner, 'USAGE') is true for the owner itself, for
    // members that inherit its rights and for superusers: exactly the "must be owner" check PostgreSQL makes.
    private const string DatabaseSql = """
        SELECT current_setting('wal_level'),
               current_setting('max_replication_slots')::int,
               current_setting('max_wal_senders')::int,
               current_setting('max_slot_wal_keep_size', true),
               r.rolname, r.rolsuper, r.rolreplication,
               has_database_privilege(current_database(), 'CREATE'),
               (SELECT count(*)::int FROM pg_replication_slots),
               (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'walsender'),
               s.slot_name IS NOT NULL, s.slot_type, s.plugin, s.database, current_database(), coalesce(s.active, false),
               p.oid IS NOT NULL, coalesce(pg_has_role(p.pubowner, 'USAGE'), false),
               coalesce(p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate, true)
        FROM pg_roles r
        LEFT JOIN pg_replication_slots s ON s.slot_name = $1
        LEFT JOIN pg_publication p ON p.pubname = $2
        WHERE r.rolname = current_user
        """;

    // A table's owner, whether the publication covers it (FOR TABLE, FOR ALL TABLES, FOR TABLES IN SCHEMA alike), its
    // replica identity, the columns of its replica identity index, and the unique indexes that could be one
    // (https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-REPLICA-IDENTITY: unique, not partial,
    // not deferrable, only NOT NULL columns).
    private const string TableSql = """
        SELECT pg_has_role(c.relowner, 'USAGE'), pg_get_userbyid(c.relowner),
               EXISTS (SELECT 1 FROM pg_publication_tables pt WHERE pt.pubname = $2 AND pt.schemaname = n.nspname AND pt.tablename = c.relname),
               c.relreplident::text,
               (SELECT array_agg(a.attname::text) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = c.oid AND i.indisreplident),
               (SELECT array_agg(x.name) FROM (
                  SELECT ic.relname::text AS name, array_agg(a.attname::text) AS columns, bool_and(a.attnotnull) AS notnull
                  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                  WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
                  GROUP BY ic.relname) x
                WHERE x.notnull AND x.columns @> $3 AND x.columns <@ $3)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = $1
        """;

    /// <summary>The problems (each stops <c>check</c> and <c>run</c>, exit 2), the warnings, and the replica identity
    /// statements <c>run</c> executes for syncs that opted in (<c>replica-identity</c>), by sync name.</summary>
    public sealed record Result(IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings, IReadOnlyDictionary<string, string> ReplicaIdentityStatements);

    /// <summary>
    /// Checks every WAL source database among <paramref name="connections"/> for the planned syncs
    /// <paramref name="plans"/> (the enabled syncs whose tables check could plan; the others have problems already).
    /// </summary>
    public static async Task<Result> CheckAsync(
        ActorSyncOptions options, IReadOnlyList<SyncPlan> plans, IReadOnlyDictionary<string, NpgsqlConnection> connections, IEnumerable<string> sourceDatabases,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var statements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var database in sourceDatabases.Distinct(StringComparer.Ordinal))
        {
            if (!options.Databases.TryGetValue(database, out var databaseOptions) || databaseOptions.CaptureMode != DatabaseCaptureMode.Wal
                || !connections.TryGetValue(database, out var connection))
            {
                continue;
            }

            var syncs = plans.Where(p => p.Sync.Source.Database == database).ToArray();
            await CheckDatabaseAsync(database, connection, syncs, problems, warnings, statements, cancellationToken);
        }

        return new Result(problems, warnings, statements);
    }

    /// <summary>
    /// The statement that makes <paramref name="plan"/>'s source table publish its key columns for UPDATE and DELETE,
    /// as the sync's <c>replica-identity</c> asks, or null when the table's replica identity covers them already (or
    /// the sync did not opt in: then <see cref="CheckAsync"/> refuses it). For the installer, run before the publication
    /// is created; the caller must own the table.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sync asks for <c>index</c> and the table has no unique index that
    /// can be its replica identity.</exception>
    public static async Task<string?> ReplicaIdentityStatementAsync(SyncPlan plan, NpgsqlConnection source, CancellationToken cancellationToken)
    {
        var table = await ReadTableAsync(plan, source, WalNames.Publication(plan.Sync.Source.Database), cancellationToken);
        var (_, statement) = ReplicaIdentity(plan, table);
        return statement;
    }

    /// <summary>
    /// Runs the replica identity statements <see cref="CheckAsync"/> returned (syncs that set <c>replica-identity</c>),
    /// each on its sync's source database, before <c>run</c> installs anything else; tells <paramref name="report"/>
    /// what it ran. Returns null, or why a statement failed (then nothing more is installed: <c>run</c> exits 1).
    /// </summary>
    public static async Task<string?> ApplyReplicaIdentitiesAsync(
        ActorSyncConfiguration configuration, IReadOnlyDictionary<string, string> statements, Func<string, Task> report, CancellationToken cancellationToken)
    {
        foreach (var sync in configuration.Syncs.Where(s => statements.ContainsKey(s.Name)))
        {
            var database = sync.Source.Database;
            var (connection, problem, _) = await Postgres.DatabaseProbe.OpenAsync(database, configuration.Options.Databases[database], cancellationToken);
            if (connection is null)
            {
                return problem;
            }

            await using (connection)
            {
                try
                {
                    await using var command = new NpgsqlCommand(statements[sync.Name], connection);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException refused)
                {
                    return $"sync '{sync.Name}': could not set the replica identity of {sync.Source} ({statements[sync.Name]}): {refused.SqlState}: {refused.MessageText}";
                }
            }

            await report($"sync '{sync.Name}': {statements[sync.Name]} (replica-identity = {sync.ReplicaIdentity.ToString()!.ToLowerInvariant()})");
        }

        return null;
    }

    private static async Task CheckDatabaseAsync(
        string database, NpgsqlConnection connection, IReadOnlyList<SyncPlan> syncs, List<string> problems, List<string> warnings,
        Dictionary<string, string> statements, CancellationToken cancellationToken)
    {
        var slot = WalNames.Slot(database);
        var publication = WalNames.Publication(database);
        var prefix = $"database '{database}' (capture-mode = wal)";
        await using (var command = new NpgsqlCommand(DatabaseSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slot });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publication });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                problems.Add($"{prefix}: the current role is not in pg_roles; connect as a role that can log in");
                return;
            }

            var walLevel = reader.GetString(0);
            var maxSlots = reader.GetInt32(1);
            var maxSenders = reader.GetInt32(2);
            var keepSize = reader.IsDBNull(3) ? null : reader.GetString(3);
            var role = reader.GetString(4);
            var superuser = reader.GetBoolean(5);
            var replication = reader.GetBoolean(6);
            var canCreate = reader.GetBoolean(7);
            var usedSlots = reader.GetInt32(8);
            var usedSenders = reader.GetInt32(9);
            var slotExists = reader.GetBoolean(10);
            var slotType = reader.IsDBNull(11) ? null : reader.GetString(11);
            var plugin = reader.IsDBNull(12) ? null : reader.GetString(12);
            var slotDatabase = reader.IsDBNull(13) ? null : reader.GetString(13);
            var currentDatabase = reader.GetString(14);
            var slotActive = reader.GetBoolean(15);
            var publicationExists = reader.GetBoolean(16);
            var ownsPublication = reader.GetBoolean(17);
            var publishesAll = reader.GetBoolean(18);

            if (walLevel != "logical")
            {
                problems.Add(
                    $"{prefix}: wal_level is {walLevel}, and WAL capture needs logical: run ALTER SYSTEM SET wal_level = logical; as a superuser and restart the server (or capture this database with triggers: remove databases.{database}.capture-mode)");
            }

            if (!superuser && !replication)
            {
                problems.Add(
                    $"{prefix}: role {role} has neither the REPLICATION attribute nor superuser, and WAL capture's replication slot and connection need one: run ALTER ROLE {Identifier.Quote(role)} REPLICATION; as a superuser");
            }

            if (slotExists && (slotType != "logical" || plugin != "pgoutput" || slotDatabase != currentDatabase))
            {
                problems.Add(
                    $"{prefix}: a replication slot named {slot} exists but is not ActorSync's ({slotType} slot, plugin {plugin ?? "none"}, database {slotDatabase ?? "none"}; ActorSync's is a logical pgoutput slot on {currentDatabase}): drop it with SELECT pg_drop_replication_slot('{slot}'); if nothing uses it, or rename this database in the configuration");
            }
            else if (!slotExists && usedSlots >= maxSlots)
            {
                problems.Add(
                    $"{prefix}: no free replication slot for {slot}: max_replication_slots is {maxSlots} and {usedSlots} are in use (see pg_replication_slots): raise it with ALTER SYSTEM SET max_replication_slots = {usedSlots + 1}; and restart the server, or drop a slot nothing uses");
            }

            // Our slot's own sender, when it runs (another ActorSync, or this check beside the service), is not a competitor.
            if (usedSenders - (slotActive ? 1 : 0) >= maxSenders)
            {
                problems.Add(
                    $"{prefix}: no free WAL sender for the replication connection: max_wal_senders is {maxSenders} and {usedSenders} are in use (see pg_stat_replication): raise it with ALTER SYSTEM SET max_wal_senders = {usedSenders + 1}; and restart the server");
            }

            if (publicationExists && !publishesAll)
            {
                problems.Add(
                    $"{prefix}: publication {publication} exists but does not publish every kind of change: run ALTER PUBLICATION {Identifier.Quote(publication)} SET (publish = 'insert, update, delete, truncate');");
            }
            else if (!publicationExists && !canCreate && syncs.Count > 0)
            {
                problems.Add(
                    $"{prefix}: role {role} may not create the publication {publication} (CREATE on the database): run GRANT CREATE ON DATABASE {Identifier.Quote(currentDatabase)} TO {Identifier.Quote(role)}; or create it as the tables' owner: CREATE PUBLICATION {Identifier.Quote(publication)} FOR TABLE {string.Join(", ", syncs.Select(s => s.SourceTable).Distinct(StringComparer.Ordinal))};");
            }

            if (keepSize == "-1")
            {
                warnings.Add(
                    $"{prefix}: max_slot_wal_keep_size is -1 (unlimited): while ActorSync is stopped, its slot {slot} keeps every WAL segment written since, until the disk is full; bound it, e.g. ALTER SYSTEM SET max_slot_wal_keep_size = '10GB'; SELECT pg_reload_conf();");
            }

            await reader.CloseAsync();
            foreach (var plan in syncs)
            {
                var table = await ReadTableAsync(plan, connection, publication, cancellationToken);
                CheckTable(prefix, role, publication, publicationExists, ownsPublication, plan, table, problems, statements);
            }
        }
    }

    private static void CheckTable(
        string prefix, string role, string publication, bool publicationExists, bool ownsPublication, SyncPlan plan, TableFacts table,
        List<string> problems, Dictionary<string, string> statements)
    {
        var sync = $"sync '{plan.Sync.Name}'";
        if (!table.Published && !table.Owned)
        {
            problems.Add(
                $"{prefix}: {sync}: role {role} does not own the source table {plan.Sync.Source} (its owner is {table.Owner}), and PostgreSQL lets only a table's owner add it to a publication: run ALTER TABLE {plan.SourceTable} OWNER TO {Identifier.Quote(role)}; or, as {Identifier.Quote(table.Owner)}, {(publicationExists ? $"ALTER PUBLICATION {Identifier.Quote(publication)} ADD TABLE {plan.SourceTable};" : $"CREATE PUBLICATION {Identifier.Quote(publication)} FOR TABLE {plan.SourceTable};")}");
        }
        else if (!table.Published && publicationExists && !ownsPublication)
        {
            problems.Add(
                $"{prefix}: {sync}: the publication {publication} does not cover {plan.Sync.Source} and role {role} does not own the publication: as its owner, run ALTER PUBLICATION {Identifier.Quote(publication)} ADD TABLE {plan.SourceTable};");
        }

        string? statement;
        string? refusal;
        try
        {
            (refusal, statement) = ReplicaIdentity(plan, table);
        }
        catch (InvalidOperationException noIndex)
        {
            problems.Add($"{prefix}: {sync}: {noIndex.Message}");
            return;
        }

        if (refusal is not null)
        {
            problems.Add($"{prefix}: {sync}: {refusal}");
        }
        else if (statement is not null)
        {
            statements[plan.Sync.Name] = statement;
            if (!table.Owned)
            {
                problems.Add(
                    $"{prefix}: {sync}: replica-identity = {plan.Sync.ReplicaIdentity.ToString()!.ToLowerInvariant()} needs role {role} to own {plan.Sync.Source} (its owner is {table.Owner}): as the owner, run {statement}");
            }
        }
    }

    /// <summary>
    /// Whether the table's replica identity puts every key column of the sync in the WAL's old row of an UPDATE and a
    /// DELETE (pgoutput sends the old key only as the replica identity's columns): a refusal saying what to run, or
    /// the statement the sync's opt-in asks <c>run</c> to execute, or neither when nothing needs doing.
    /// </summary>
    private static (string? Refusal, string? Statement) ReplicaIdentity(SyncPlan plan, TableFacts table)
    {
        var keys = plan.Keys.Select(k => k.Name).ToArray();
        var identity = table.Identity switch
        {
            "f" => keys,
            "d" => plan.Source.PrimaryKey,
            "i" => table.IdentityIndexColumns,
            _ => [],
        };
        if (identity is { Count: > 0 } && keys.All(identity.Contains))
        {
            return (null, null);
        }

        var full = $"ALTER TABLE {plan.SourceTable} REPLICA IDENTITY FULL;";
        var index = table.CandidateIndexes.Count > 0 ? table.CandidateIndexes[0] : null;
        switch (plan.Sync.ReplicaIdentity)
        {
            case Configuration.ReplicaIdentity.Full:
                return (null, full);
            case Configuration.ReplicaIdentity.Index when index is not null:
                return (null, $"ALTER TABLE {plan.SourceTable} REPLICA IDENTITY USING INDEX {Identifier.Quote(index)};");
            case Configuration.ReplicaIdentity.Index:
                throw new InvalidOperationException(
                    $"replica-identity = index, but {plan.Sync.Source} has no unique index on exactly its key ({string.Join(", ", keys)}) that can be a replica identity (not partial, not deferrable, on NOT NULL columns): create one, or use replica-identity = full");
        }

        var what = table.Identity switch
        {
            "n" => "its replica identity is NOTHING",
            "d" when plan.Source.PrimaryKey.Count == 0 => "it has no primary key (replica identity DEFAULT)",
            "d" => $"its primary key ({string.Join(", ", plan.Source.PrimaryKey)}) does not hold the sync's key",
            _ => $"its replica identity index ({string.Join(", ", table.IdentityIndexColumns ?? [])}) does not hold the sync's key",
        };
        var useIndex = index is not null ? $" or ALTER TABLE {plan.SourceTable} REPLICA IDENTITY USING INDEX {Identifier.Quote(index)};" : "";
        return (
            $"source table {plan.Sync.Source} would not publish the key ({string.Join(", ", keys)}) of its UPDATEs and DELETEs: {what}. ActorSync does not change a source table's replica identity on its own: run {full}{useIndex} or set replica-identity = {(index is null ? "full" : "full (or index)")} on the sync to let run do it",
            null);
    }

    private static async Task<TableFacts> ReadTableAsync(SyncPlan plan, NpgsqlConnection connection, string publication, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TableSql, connection);
        command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = plan.Source.Oid, DataTypeName = "oid" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publication });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = plan.Keys.Select(k => k.Name).ToArray(), DataTypeName = "text[]" });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Source table {plan.Sync.Source} of sync '{plan.Sync.Name}' was dropped while it was checked.");
        }

        return new TableFacts(
            reader.GetBoolean(0),
            reader.GetString(1),
            reader.GetBoolean(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<string[]>(4),
            reader.IsDBNull(5) ? [] : reader.GetFieldValue<string[]>(5).Order(StringComparer.Ordinal).ToArray());
    }

    private sealed record TableFacts(
        bool Owned, string Owner, bool Published, string Identity, IReadOnlyList<string>? IdentityIndexColumns, IReadOnlyList<string> CandidateIndexes);
}
