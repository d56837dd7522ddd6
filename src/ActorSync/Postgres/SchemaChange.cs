namespace ActorSync.Postgres;

/// <summary>
/// How a source table's columns differ from the ones its sync was planned for: columns added, dropped, or retyped.
/// Columns are compared as <c>"quoted name" type</c> strings, as kept in <c>actorsync.sync_state.source_columns</c>.
/// </summary>
public sealed record SchemaChange(IReadOnlyList<ColumnInfo> Added, IReadOnlyList<string> Dropped, IReadOnlyList<string> Retyped)
{
    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => Added.Count == 0 && Dropped.Count == 0 && Retyped.Count == 0;

    /// <summary>The source's columns as they are stored: <c>"name type"</c>, in column order.</summary>
    public static IReadOnlyList<string> Describe(TableSchema source) => source.Columns.Select(c => $"{c.Quoted} {c.Type}").ToArray();

    /// <summary>Compares the stored columns with the table as it is now.</summary>
    public static SchemaChange Between(IReadOnlyList<string> stored, TableSchema current)
    {
        var before = stored.Select(Split).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var added = current.Columns.Where(c => !before.ContainsKey(c.Name)).ToArray();
        var dropped = before.Keys.Where(name => current.Find(name) is null).ToArray();
        var retyped = current.Columns
            .Where(c => before.TryGetValue(c.Name, out var type) && type != c.Type)
            .Select(c => $"\"{c.Name}\" ({before[c.Name]} -> {c.Type})")
            .ToArray();
        return new SchemaChange(added, dropped, retyped);
    }

    /// <summary>One sentence per kind of change, e.g. <c>column "x" (text) was added</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        parts.AddRange(Added.Select(c => $"column \"{c.Name}\" ({c.Type}) was added"));
        parts.AddRange(Dropped.Select(name => $"column \"{name}\" was dropped"));
        parts.AddRange(Retyped.Select(change => $"column {change} changed type"));
        return string.Join("; ", parts);
    }

    // The name is a quoted identifier ("" inside for a quote), so it may hold spaces; the type follows it.
    private static (string Name, string Type) Split(string stored)
    {
        var name = new System.Text.StringBuilder();
        var i = 1;
        while (i < stored.Length)
        {
            if (stored[i] == '"')
            {
                if (i + 1 < stored.Length && stored[i + 1] == '"')
                {
                    name.Append('"');
                    i += 2;
                    continue;
                }

                break;
            }

            name.Append(stored[i++]);
        }

        return (name.ToString(), i + 2 <= stored.Length ? stored[(i + 2)..] : "");
    }
}
