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
