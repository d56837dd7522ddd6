using System.Text.Json;
using ActorSync.Apply;
using ActorSync.Sql;

namespace ActorSync.Snapshot;

/// <summary>
/// A slice of the source table by key, <c>[Lower, Upper)</c>; null means unbounded. Bounds are the key columns' text
/// forms, so any key type works (they are cast back with the column's own type). Every key belongs to exactly one
/// range, so ranges copied in separate transactions never overlap.
/// </summary>
public sealed record KeyRange(int Number, IReadOnlyList<string>? Lower, IReadOnlyList<string>? Upper)
{
    /// <summary>The lower bound as stored in <c>actorsync.snapshot_ranges</c> (a JSON array), or null.</summary>
    public string? LowerText => Lower is null ? null : JsonSerializer.Serialize(Lower);

    /// <summary>The upper bound as stored, or null.</summary>
    public string? UpperText => Upper is null ? null : JsonSerializer.Serialize(Upper);

    /// <summary>Rebuilds a range from its stored form.</summary>
    public static KeyRange FromText(int number, string? lower, string? upper) => new(
        number,
        lower is null ? null : JsonSerializer.Deserialize<string[]>(lower),
        upper is null ? null : JsonSerializer.Deserialize<string[]>(upper));

    /// <summary>The range as an SQL condition on the plan's key columns, or null when the range is the whole table.</summary>
    public string? Predicate(SyncPlan plan)
    {
        var parts = new List<string>();
        if (Lower is not null)
        {
            parts.Add($"{Row(plan, null)} >= {Row(plan, Lower)}");
        }

        if (Upper is not null)
        {
            parts.Add($"{Row(plan, null)} < {Row(plan, Upper)}");
        }

        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    private static string Row(SyncPlan plan, IReadOnlyList<string>? values)
    {
        var items = plan.Keys.Select((k, i) => values is null ? k.Quoted : $"{Literal.Quote(values[i])}::{k.SourceType}").ToArray();
        return items.Length == 1 ? items[0] : "(" + string.Join(", ", items) + ")";
    }
}
