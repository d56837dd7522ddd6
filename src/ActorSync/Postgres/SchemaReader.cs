using Npgsql;

namespace ActorSync.Postgres;

/// <summary>Reads table definitions from <c>pg_catalog</c>; every name goes in as a parameter.</summary>
public static class SchemaReader
{
    // OIDs below FirstNormalObjectId (16384) are built in and identical in every database of every cluster.
    private const uint FirstNormalObjectId = 16384;

    private const string TableSql = """
        SELECT c.oid, c.relkind::text
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2
        """;

    // Binary COPY writes array element OIDs, composite field OIDs and range subtype OIDs into the data: those are only
    // portable when built in. Enums travel as their label and domains as their base type, so they are portable as
    // long as what they wrap is.
    private const string ColumnsSql = """
        SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull,
               a.attgenerated <> '', a.attidentity = 'a',
               CASE
                 WHEN bt.typtype = 'c' THEN false
                 WHEN bt.typcategory = 'A' THEN bt.typelem < $2 AND et.typtype <> 'c'
                 WHEN bt.typtype IN ('r', 'm') THEN bt.oid < $2
                 ELSE true
               END,
               a.atthasdef OR a.attidentity <> '',
               CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END
        FROM pg_catalog.pg_attribute a
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        LEFT JOIN pg_catalog.pg_type et ON et.oid = bt.typelem
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    private const string KeysSql = """
        SELECT i.indisprimary, array_agg(a.attname ORDER BY k.ord)
        FROM pg_catalog.pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1 AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
        GROUP BY i.indexrelid, i.indisprimary
        ORDER BY i.indisprimary DESC, i.indexrelid
        """;

    private const string DependentsSql = """
        SELECT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE confrelid = $1 AND contype = 'f'),
               EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgrelid = $1 AND NOT tgisinternal),
               EXISTS (SELECT FROM pg_catalog.pg_inherits WHERE inhrelid = $1 OR inhparent = $1),
               pg_catalog.to_regclass('actorsync.deferred_indexes') IS NOT NULL
        """;

    // A unique key a snapshot dropped to build after its copy (snapshot-indexes = defer) is the table's all the same:
    // the copy rebuilds it before the sync applies anything, and a restart in between must plan as before.
    private const string DeferredKeysSql = """
        SELECT is_primary, key_columns FROM actorsync.deferred_indexes
        WHERE table_oid = $1 AND is_unique AND key_columns IS NOT NULL
        ORDER BY is_primary DESC, index_name
        """;

    /// <summary>Reads a table, or returns null when no table (or partitioned table) of that name exists.</summary>
    /// <exception cref="InvalidOperationException">The name belongs to a view, sequence or other non-table relation.</exception>
    public static async Task<TableSchema?> ReadAsync(
        NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        uint oid;
        await using (var command = new NpgsqlCommand(TableSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            oid = reader.GetFieldValue<uint>(0);
            var kind = reader.GetString(1);
            if (kind is not ("r" or "p"))
            {
                throw new InvalidOperationException(
                    $"{Sql.Identifier.Quote(schema, table)} is a {DescribeKind(kind)}, not a table; only tables can be synced.");
            }
        }

        var columns = new List<ColumnInfo>();
        await using (var command = new NpgsqlCommand(ColumnsSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = oid, DataTypeName = "oid" });
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = FirstNormalObjectId, DataTypeName = "oid" });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new ColumnInfo(
                    reader.GetString(0), reader.GetString(1), reader.GetFieldValue<uint>(2), reader.GetBoolean(3),
                    reader.GetBoolean(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetBoolean(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
        }

        string[] primaryKey = [];
        var uniqueKeys = new List<IReadOnlyList<string>>();
        await using (var command = new NpgsqlCommand(KeysSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = oid, DataTypeName = "oid" });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetFieldValue<string[]>(1);
                if (reader.GetBoolean(0))
                {
                    primaryKey = key;
                }

                uniqueKeys.Add(key);
            }
        }

        bool referenced, triggers, child, deferred;
        await using (var command = new NpgsqlCommand(DependentsSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = oid, DataTypeName = "oid" });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            referenced = reader.GetBoolean(0);
            triggers = reader.GetBoolean(1);
            child = reader.GetBoolean(2);
            deferred = reader.GetBoolean(3);
        }

        if (deferred)
        {
            await using var command = new NpgsqlCommand(DeferredKeysSql, connection);
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = oid, DataTypeName = "oid" });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetFieldValue<string[]>(1);
                if (reader.GetBoolean(0) && primaryKey.Length == 0)
                {
                    primaryKey = key;
                }

                uniqueKeys.Add(key);
            }
        }

        return new TableSchema(oid, schema, table, columns, primaryKey, uniqueKeys, referenced, triggers) { InHierarchy = child };
    }

    private static string DescribeKind(string kind) => kind switch
    {
        "v" => "view",
        "m" => "materialized view",
        "S" => "sequence",
        "f" => "foreign table",
        "i" or "I" => "index",
        "c" => "composite type",
        "t" => "TOAST table",
        _ => $"relation of kind '{kind}'",
    };
}
