namespace ActorSync.Postgres;

/// <summary>A table's shape as read from the catalog: what capture, apply and compatibility checks need.</summary>
public sealed record TableSchema(
    uint Oid,
    string Schema,
    string Name,
    IReadOnlyList<ColumnInfo> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<IReadOnlyList<string>> UniqueKeys,
    bool ReferencedByForeignKeys = false,
    bool HasUserTriggers = false)
{
    /// <summary>
    /// A partition, a partitioned table, an inheritance parent or child: a statement naming one table of the tree fires
    /// the statement-level triggers of that table only, while row-level triggers fire on every table a row lands in.
    /// </summary>
    public bool InHierarchy { get; init; }

    /// <summary>The schema-qualified, quoted name.</summary>
    public string QuotedName => Sql.Identifier.Quote(Schema, Name);

    /// <summary>The column called <paramref name="name"/>, or null.</summary>
    public ColumnInfo? Find(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>True when a primary key or valid unique index covers exactly <paramref name="columns"/> (in any order).</summary>
    public bool HasUniqueKeyOn(IReadOnlyList<string> columns) =>
        UniqueKeys.Any(k => k.Count == columns.Count && k.All(columns.Contains));
}

/// <summary>One column of a <see cref="TableSchema"/>.</summary>
/// <param name="Name">The column's name, exactly as stored.</param>
/// <param name="Type">The type as <c>format_type()</c> writes it, e.g. <c>numeric(10,2)</c> or <c>public.mood</c>.</param>
/// <param name="TypeOid">The type's OID.</param>
/// <param name="NotNull">Declared NOT NULL.</param>
/// <param name="Generated">A stored generated column: the target computes it, so it is never copied.</param>
/// <param name="IdentityAlways">GENERATED ALWAYS AS IDENTITY: inserts need OVERRIDING SYSTEM VALUE.</param>
/// <param name="BinaryPortable">The binary COPY form of this type is the same in any database (no embedded type OIDs).</param>
/// <param name="HasDefault">The column has a default (or is an identity column).</param>
/// <param name="GenerationExpression">For a generated column, its expression as <c>pg_get_expr</c> writes it.</param>
public sealed record ColumnInfo(
    string Name,
    string Type,
    uint TypeOid,
    bool NotNull,
    bool Generated,
    bool IdentityAlways,
    bool BinaryPortable,
    bool HasDefault = false,
    string? GenerationExpression = null)
{
    /// <summary>The quoted column name.</summary>
    public string Quoted => Sql.Identifier.Quote(Name);
}
