using ActorSync.Configuration;
using ActorSync.Postgres;

namespace ActorSync.Apply;

/// <summary>
/// Turns a <see cref="SyncDefinition"/> and the catalog's view of its tables into a <see cref="SyncPlan"/>, or into the
/// list of everything that is wrong with them (each problem names the sync, the table and the column at fault).
/// </summary>
public static class SyncPlanner
{
    /// <summary>Plans a sync. <paramref name="target"/> is null when the target table does not exist.</summary>
    public static PlanResult Plan(SyncDefinition sync, TableSchema? source, TableSchema? target)
    {
        var problems = new List<string>();
        var prefix = $"sync '{sync.Name}'";
        if (source is null)
        {
            problems.Add($"{prefix}: source table {sync.Source} does not exist");
            return new PlanResult(null, problems);
        }

        if (source.InHierarchy && sync.CaptureMode != Capture.CaptureMode.Row)
        {
            // PostgreSQL fires statement-level triggers only on the table a statement names: an INSERT through a
            // partitioned parent skips the partition's, an INSERT into a partition skips the parent's.
            problems.Add(
                $"{prefix}: source table {sync.Source} is part of a partition or inheritance tree, where statement-level capture " +
                $"misses writes made through another table of the tree; set capture-mode = row for this sync");
        }

        var keys = ResolveKey(sync, source, prefix, problems);
        var copied = ResolveColumns(sync, source, keys, prefix, problems);
        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        if (target is null && !sync.CreateTarget)
        {
            problems.Add($"{prefix}: target table {sync.Target} does not exist; create it, or set create-target = true");
            return new PlanResult(null, problems);
        }

        var planned = new List<PlannedColumn>();
        foreach (var column in copied)
        {
            var isKey = keys.Contains(column.Name);
            if (target is null)
            {
                planned.Add(new PlannedColumn(column.Name, column.Type, column.Type, isKey));
                continue;
            }

            var targetColumn = target.Find(column.Name);
            if (targetColumn is null)
            {
                problems.Add($"{prefix}: target {sync.Target} has no column \"{column.Name}\" (source type {column.Type})");
            }
            else if (targetColumn.Generated)
            {
                // The target computes this column itself (issue 5: generated columns are recomputed, not copied).
                continue;
            }
            else if (!TypeCompatibility.IsCompatible(column.Type, targetColumn.Type))
            {
                problems.Add(
                    $"{prefix}: column \"{column.Name}\" has type {column.Type} in source {sync.Source} " +
                    $"but {targetColumn.Type} in target {sync.Target}");
            }
            else
            {
                planned.Add(new PlannedColumn(column.Name, column.Type, targetColumn.Type, isKey));
            }
        }

        if (target is not null)
        {
            CheckTarget(sync, target, keys, copied, prefix, problems);
        }

        if (problems.Count > 0)
        {
            return new PlanResult(null, problems);
        }

        var keyColumns = keys.Select(k => planned.Single(p => p.Name == k)).ToArray();
        var portable = copied.All(c => c.BinaryPortable) &&
                       (target is null || planned.All(p => target.Find(p.Name)!.BinaryPortable));
        var identityAlways = target is null
            ? copied.Any(c => c.IdentityAlways)
            : planned.Any(p => target.Find(p.Name)!.IdentityAlways);
        return new PlanResult(new SyncPlan(sync, source, target, planned, keyColumns, portable, identityAlways), problems);
    }

    private static List<string> ResolveKey(SyncDefinition sync, TableSchema source, string prefix, List<string> problems)
    {
        IReadOnlyList<string> keys;
        if (sync.Key is { Count: > 0 } configured)
        {
            keys = configured;
        }
        else if (source.PrimaryKey.Count > 0)
        {
            keys = source.PrimaryKey;
        }
        else
        {
            problems.Add($"{prefix}: source table {sync.Source} has no primary key; set key = [...] to the columns that identify a row");
            return [];
        }

        foreach (var key in keys)
        {
            var column = source.Find(key);
            if (column is null)
            {
                problems.Add($"{prefix}: key column \"{key}\" does not exist in source {sync.Source}");
            }
            else if (!column.NotNull)
            {
                problems.Add($"{prefix}: key column \"{key}\" of source {sync.Source} is nullable; key columns must be NOT NULL");
            }
            else if (column.Generated)
            {
                problems.Add($"{prefix}: key column \"{key}\" of source {sync.Source} is a generated column");
            }
        }

        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            problems.Add($"{prefix}: key names a column twice");
        }

        return [.. keys];
    }

    private static List<ColumnInfo> ResolveColumns(
        SyncDefinition sync, TableSchema source, List<string> keys, string prefix, List<string> problems)
    {
        if (sync.Columns is not { Count: > 0 } subset)
        {
            return source.Columns.Where(c => !c.Generated).ToList();
        }

        foreach (var name in subset)
        {
            var column = source.Find(name);
            if (column is null)
            {
                problems.Add($"{prefix}: column \"{name}\" (in columns) does not exist in source {sync.Source}");
            }
            else if (column.Generated)
            {
                problems.Add($"{prefix}: column \"{name}\" (in columns) is generated; the target computes it, leave it out");
            }
        }

        // Key columns always travel, whether listed or not; source order keeps COPY and the target definition stable.
        var wanted = new HashSet<string>(subset.Concat(keys), StringComparer.Ordinal);
        return source.Columns.Where(c => wanted.Contains(c.Name) && !c.Generated).ToList();
    }

    private static void CheckTarget(
        SyncDefinition sync, TableSchema target, List<string> keys, List<ColumnInfo> copied, string prefix, List<string> problems)
    {
        if (!target.HasUniqueKeyOn(keys))
        {
            problems.Add(
                $"{prefix}: target {sync.Target} has no primary key or unique index on " +
                $"({string.Join(", ", keys.Select(k => "\"" + k + "\""))}); the apply upserts by that key");
        }

        var copiedNames = copied.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var column in target.Columns)
        {
            if (!copiedNames.Contains(column.Name) && column.NotNull && !column.HasDefault && !column.Generated)
            {
                problems.Add(
                    $"{prefix}: target column \"{column.Name}\" of {sync.Target} is NOT NULL without a default, " +
                    "but the sync does not copy it");
            }
        }
    }
}

/// <summary>The outcome of <see cref="SyncPlanner.Plan"/>: a plan, or the problems that prevent one.</summary>
public sealed record PlanResult(SyncPlan? Plan, IReadOnlyList<string> Problems)
{
    /// <summary>True when a plan was made.</summary>
    public bool Succeeded => Plan is not null;
}
