using Npgsql;

namespace ActorSync.State;

/// <summary>
/// A sync's dead letters in its target database (<c>actorsync.dead_letters</c>, issue #19): keys the target refused,
/// with the error. Keys are JSON and compared as <c>jsonb</c>, so <c>{"id": 1}</c> and <c>{ "id" : 1 }</c> are one key.
/// </summary>
public static class DeadLetterStore
{
    /// <summary>Records a refused key, or counts one more attempt of a key already recorded.</summary>
    public static async Task RecordAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, string key, string error, string sqlState,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO actorsync.dead_letters (sync_name, key, error, sqlstate) VALUES ($1, $2::jsonb, $3, $4)
            ON CONFLICT (sync_name, key) DO UPDATE
            SET error = EXCLUDED.error, sqlstate = EXCLUDED.sqlstate, last_seen = now(), attempts = actorsync.dead_letters.attempts + 1
            """,
            target, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sqlState });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes the dead letters of keys that have now applied.</summary>
    public static async Task ClearAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "DELETE FROM actorsync.dead_letters WHERE sync_name = $1 AND key = ANY ($2::jsonb[])", target, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many keys of the sync are dead-lettered.</summary>
    public static async Task<long> CountAsync(
        NpgsqlConnection target, NpgsqlTransaction? transaction, string sync, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM actorsync.dead_letters WHERE sync_name = $1", target, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The sync's dead letters, oldest first; only <paramref name="key"/> when given.</summary>
    public static async Task<IReadOnlyList<DeadLetter>> ListAsync(
        NpgsqlConnection target, string sync, string? key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT key::text, error, sqlstate, first_seen, last_seen, attempts FROM actorsync.dead_letters " +
            "WHERE sync_name = $1 AND ($2::jsonb IS NULL OR key = $2::jsonb) ORDER BY first_seen, key",
            target);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetter(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5)));
        }

        return letters;
    }

    /// <summary>Deletes the sync's dead letters (only <paramref name="key"/> when given); returns how many.</summary>
    public static async Task<int> DiscardAsync(NpgsqlConnection target, string sync, string? key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "DELETE FROM actorsync.dead_letters WHERE sync_name = $1 AND ($2::jsonb IS NULL OR key = $2::jsonb)", target);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
