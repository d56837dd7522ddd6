using ActorSync.Configuration;
using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Looks at a sync's tables in the catalog and plans it, listing every problem: tables, key, columns, types, and a
/// <c>where</c> the server refuses. Reads only; used by <c>actorsync check</c> and by each replicator before it installs.
/// </summary>
public static class SyncInspector
{
    /// <summary>Plans <paramref name="sync"/> against the two connections (the same one when the databases are the same).</summary>
    public static async Task<PlanResult> InspectAsync(
        SyncDefinition sync, NpgsqlConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        var prefix = $"sync '{sync.Name}'";
        TableSchema? sourceSchema, targetSchema;
        try
        {
            sourceSchema = await SchemaReader.ReadAsync(source, sync.Source.Schema, sync.Source.Table, cancellationToken);
            targetSchema = await SchemaReader.ReadAsync(target, sync.Target.Schema, sync.Target.Table, cancellationToken);
        }
        catch (InvalidOperationException notATable)
        {
            return new PlanResult(null, [$"{prefix}: {notATable.Message}"]);
        }

        var result = SyncPlanner.Plan(sync, sourceSchema, targetSchema);
        if (result.Plan is { Sync.Where: not null } plan)
        {
            try
            {
                await using var command = new NpgsqlCommand(plan.WhereCheckSql, source);
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 1 });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException invalid)
            {
                return new PlanResult(null, [$"{prefix}: where = \"{sync.Where}\" is not a valid condition on {sync.Source}: {invalid.SqlState}: {invalid.MessageText}"]);
            }
        }

        return result;
    }
}
