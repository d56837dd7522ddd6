using ActorSync.Sql;
using Npgsql;

namespace ActorSync.Snapshot;

/// <summary>
/// Builds the target's indexes after a snapshot's copy instead of during it (<c>snapshot-indexes = defer</c>), as
/// <c>pg_dump</c> and <c>pg_restore</c> do: one sort per index at the end costs less than a million index insertions
/// interleaved with the rows. Measured on the bench's 1,000,000-row table (2 cores): binary COPY into the table with
/// its primary key 1.58 s; without it 0.79 s, plus 0.27 s to add the key afterwards.
/// <para>
/// An index is deferred only when dropping and re-creating it from its definition gives back the same thing and breaks
/// nothing: a valid index or primary key/unique constraint of a plain table we own, in the default tablespace (and for
/// a constraint, without storage parameters: its definition leaves them out), that no
/// foreign key, view or other object depends on (what is part of it, such as a deferrable
/// constraint's triggers, goes and comes back with it), that is not the replica identity or the clustered index, has no
/// comment and no per-column statistics target, and is not part of a partitioned index. Anything else stays and is
/// filled during the copy as before.
/// </para>
/// <para>
/// Each definition is saved in <c>actorsync.deferred_indexes</c> in the transaction that drops the index, and the
/// rebuild deletes it in the transaction that marks the snapshot done. A copy that is killed therefore resumes with its
/// indexes still deferred, the planner counts a deferred unique key as present (<see cref="Postgres.SchemaReader"/>),
/// and <c>actorsync uninstall</c> re-creates any deferred index before it removes the schema: a definition is never
/// lost.
/// </para>
/// </summary>
public static class IndexDeferral
{
    // $1: the target table as a quoted, qualified name. The definition of a constraint's index is the constraint's.
    private const string DeferrableSql = """
        SELECT n.nspname, t.relname, ic.relname, con.conname, i.indisprimary, i.indisunique,
               CASE WHEN i.indexprs IS NULL AND i.indpred IS NULL THEN
                 (SELECT pg_catalog.array_agg(a.attname ORDER BY k.ord)
                  FROM pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
               END,
               CASE WHEN con.oid IS NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) ELSE pg_catalog.pg_get_constraintdef(con.oid) END
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
        WHERE i.indrelid = pg_catalog.to_regclass($1)
          AND t.relkind = 'r' AND NOT t.relispartition AND pg_catalog.pg_has_role(t.relowner, 'USAGE')
          AND i.indisvalid AND i.indisready AND i.indislive AND NOT i.indisreplident AND NOT i.indisclustered
          AND ic.reltablespace = 0 AND coalesce(con.contype, 'i') <> 'x' AND (con.oid IS NULL OR ic.reloptions IS NULL)
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                          WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = i.indexrelid)
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                          WHERE d.refclassid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.refobjid = con.oid
                            AND d.deptype <> 'i')
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_description c WHERE c.objoid IN (i.indexrelid, con.oid))
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0)
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
        ORDER BY i.indisprimary DESC, i.indisunique DESC, ic.relname
        """;

    private const string SaveSql = """
        INSERT INTO actorsync.deferred_indexes (sync_name, index_name, table_oid, is_primary, is_unique, key_columns, definition)
        VALUES ($1, $2, pg_catalog.to_regclass($3), $4, $5, $6, $7)
        ON CONFLICT (sync_name, index_name) DO NOTHING
        """;

    /// <summary>
    /// Drops the target's deferrable indexes and saves their definitions, in the caller's transaction (the one that
    /// empties the target). Indexes deferred by an interrupted earlier copy stay saved. Returns the names deferred now.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DeferAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, string targetTable, CancellationToken cancellationToken)
    {
        var found = new List<(string Schema, string Table, string Index, string? Constraint, bool Primary, bool Unique, string[]? Keys, string Definition)>();
        await using (var command = new NpgsqlCommand(DeferrableSql, target, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = targetTable });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((
                    reader.GetString(0),
                    Identifier.Quote(reader.GetString(0), reader.GetString(1)),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetBoolean(4),
                    reader.GetBoolean(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6),
                    reader.GetString(7)));
            }
        }

        if (found.Count == 0)
        {
            return [];
        }

        await using var batch = new NpgsqlBatch(target, transaction);
        foreach (var index in found)
        {
            var (definition, drop) = index.Constraint is { } constraint
                ? ($"ALTER TABLE {index.Table} ADD CONSTRAINT {Identifier.Quote(constraint)} {index.Definition}",
                   $"ALTER TABLE {index.Table} DROP CONSTRAINT {Identifier.Quote(constraint)}")
                : (index.Definition, $"DROP INDEX {Identifier.Quote(index.Schema, index.Index)}");
            var save = new NpgsqlBatchCommand(SaveSql);
            save.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
            save.Parameters.Add(new NpgsqlParameter<string> { TypedValue = index.Index });
            save.Parameters.Add(new NpgsqlParameter<string> { TypedValue = targetTable });
            save.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = index.Primary });
            save.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = index.Unique });
            save.Parameters.Add(new NpgsqlParameter { Value = (object?)index.Keys ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            save.Parameters.Add(new NpgsqlParameter<string> { TypedValue = definition });
            batch.BatchCommands.Add(save);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(drop));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return found.Select(i => i.Index).ToArray();
    }

    /// <summary>The names of the indexes deferred for <paramref name="sync"/>.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(NpgsqlConnection target, string sync, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(array_agg(index_name ORDER BY is_primary DESC, is_unique DESC, index_name COLLATE \"C\"), '{}') " +
            "FROM actorsync.deferred_indexes WHERE sync_name = $1", target);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        return (string[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Re-creates every index deferred for <paramref name="sync"/>, in the caller's transaction (the one that marks the
    /// snapshot done), and forgets the definitions. Returns the names rebuilt.
    /// </summary>
    /// <exception cref="IndexRebuildException">An index could not be built (for example duplicate keys in a source
    /// without a unique key); the definitions stay saved and the next attempt tries again.</exception>
    public static async Task<IReadOnlyList<string>> RebuildAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, CancellationToken cancellationToken)
    {
        var deferred = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand(
            "SELECT index_name, definition FROM actorsync.deferred_indexes WHERE sync_name = $1 " +
            "ORDER BY is_primary DESC, is_unique DESC, index_name COLLATE \"C\"", target, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                deferred.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, definition) in deferred)
        {
            try
            {
                await using var build = new NpgsqlCommand(definition, target, transaction) { CommandTimeout = 0 };
                await build.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException failed)
            {
                throw new IndexRebuildException(name, failed);
            }
        }

        if (deferred.Count > 0)
        {
            await using var forget = new NpgsqlCommand("DELETE FROM actorsync.deferred_indexes WHERE sync_name = $1", target, transaction);
            forget.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        return deferred.Select(d => d.Name).ToArray();
    }
}

/// <summary>A target index deferred during a snapshot could not be built again after the copy.</summary>
public sealed class IndexRebuildException(string index, PostgresException inner) : Exception(
    $"building the target's index \"{index}\" again after the copy failed: {inner.SqlState}: {inner.MessageText}" +
    (inner.Detail is { } detail ? $" ({detail})" : "") +
    "; its definition stays in actorsync.deferred_indexes and the next attempt builds it again", inner)
{
    /// <summary>The index's name.</summary>
    public string Index { get; } = index;
}
