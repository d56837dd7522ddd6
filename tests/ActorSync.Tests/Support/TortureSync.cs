using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>One sync of the torture test: where its tables are and how to compare them.</summary>
public sealed record TortureSync(
    string Name, NpgsqlDataSource Source, string SourceTable, NpgsqlDataSource Target, string TargetTable, bool Composite,
    string Columns = "*", string? Where = null)
{
    public string OrderBy => Composite ? "region, id" : "id";

    /// <summary>The source's fingerprint (its filtered projection) and the target's.</summary>
    public async Task<(string Source, string Target)> FingerprintsAsync() =>
        (await TableFingerprint.OfAsync(Source, SourceTable, OrderBy, Columns, Where), await TableFingerprint.OfAsync(Target, TargetTable, OrderBy, Columns));

    /// <summary>
    /// The keys whose rows differ between source and target (missing, extra or changed), the first <paramref name="limit"/>
    /// of each kind, each with the source row's xmin and <c>at</c>: what a failure report shows.
    /// </summary>
    public async Task<string> DifferencesAsync(int limit = 15)
    {
        var source = await RowHashesAsync(Source, SourceTable, Where, withSourceFacts: true);
        var target = await RowHashesAsync(Target, TargetTable, null, withSourceFacts: false);
        var missing = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var extra = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var changed = source.Keys.Where(k => target.TryGetValue(k, out var t) && t.Hash != source[k].Hash).ToList();
        string Show(List<string> keys, Dictionary<string, (string Hash, string Facts)> rows) =>
            $"{keys.Count}: " + string.Join(", ", keys.Take(limit).Select(k => $"{k} {rows[k].Facts}"));
        return $"sync {Name}: missing on target {Show(missing, source)}; extra on target {Show(extra, target)}; changed {Show(changed, source)}";
    }

    private async Task<Dictionary<string, (string Hash, string Facts)>> RowHashesAsync(NpgsqlDataSource dataSource, string table, string? where, bool withSourceFacts)
    {
        var facts = withSourceFacts ? "format('(xmin %s, at %s)', xmin, at)" : "''";
        await using var command = dataSource.CreateCommand(
            $"SELECT ({OrderBy.Replace(", ", "::text || '/' || ", StringComparison.Ordinal)})::text, md5(ROW({(Columns == "*" ? "x.*" : Columns)})::text), {facts} " +
            $"FROM {table} x{(where is null ? "" : $" WHERE ({where})")}");
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return rows;
    }

    /// <summary>Delta rows not yet consumed; none by construction with WAL capture, which has no delta table.</summary>
    public async Task<long> PendingAsync()
    {
        await using (var exists = Source.CreateCommand($"SELECT to_regclass('actorsync.delta_{Name}') IS NOT NULL"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                return 0;
            }
        }

        await using var command = Source.CreateCommand($"SELECT count(*) FROM actorsync.delta_{Name}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Inserts a row no writer touches (negative id): it makes the sync apply a batch, with the given note.</summary>
    public async Task InsertMarkerRowAsync(long id, string note)
    {
        await using var command = Source.CreateCommand(
            $"INSERT INTO {SourceTable} ({(Composite ? "region, " : "")}id, grp, note) VALUES ({(Composite ? "'north', " : "")}$1, 1, $2)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = -id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = note });
        await command.ExecuteNonQueryAsync();
    }
}
