using System.Data;
using ActorSync.State;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Applies a batch for a sync with <c>on-apply-error = dead-letter</c> (issue #19) when the fast path was refused or
/// the sync has dead letters. The batch's rows are staged in a scratch table of the target transaction and applied key
/// set by key set, each under a savepoint: a set the target refuses is rolled back and split in halves until the
/// refused keys stand alone. Those are recorded in <c>actorsync.dead_letters</c> with the error; everything else applies
/// and commits with them, and keys that apply now leave the dead letters. A key is tried again whenever it is in a
/// batch again (its source row changed, or <c>dead-letters retry</c> re-queued it).
/// </summary>
public static class DeadLetterApplier
{
    private const string Savepoint = "actorsync_key_set";

    /// <summary>
    /// True for errors that mean "the target refuses this data" rather than "try again later": data exceptions (class
    /// 22: a value out of range, an invalid value), integrity constraint violations (23), WITH CHECK OPTION (44) and
    /// errors raised by a trigger (P0001). Timeouts, lost connections, deadlocks and locks stay retried.
    /// </summary>
    public static bool IsRefusal(Exception error) =>
        error is PostgresException { SqlState: var state } &&
        (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal) ||
         state.StartsWith("44", StringComparison.Ordinal) || state == PostgresErrorCodes.RaiseException);

    /// <summary>
    /// Applies the next batch isolating refused keys. <paramref name="target"/> is the source connection itself when the
    /// sync's source and target share a database. A batch that ends at a TRUNCATE is applied by <see cref="BatchApplier"/>.
    /// </summary>
    public static async Task<BatchResult> ApplyAsync(
        SyncPlan plan, NpgsqlConnection source, NpgsqlConnection target, int batchSize, TimeSpan applyTimeout,
        CancellationToken cancellationToken)
    {
        var sameDatabase = plan.Sync.SameDatabase;
        DeltaBatch batch;
        Outcome outcome;
        await using (var sourceTransaction = await source.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            batch = await DeltaBatch.ReadAsync(plan, source, sourceTransaction, batchSize, cancellationToken);
            if (batch.IsEmpty)
            {
                return BatchResult.Nothing;
            }

            if (batch.Truncate)
            {
                await sourceTransaction.RollbackAsync(cancellationToken);
                return sameDatabase
                    ? await BatchApplier.ApplySameDatabaseAsync(plan, source, batchSize, applyTimeout, cancellationToken)
                    : await BatchApplier.ApplyAsync(plan, source, target, batchSize, applyTimeout, cancellationToken);
            }

            await using var ownTransaction = sameDatabase
                ? null
                : await target.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var targetTransaction = ownTransaction ?? sourceTransaction;
            await BatchApplier.SetTimeoutsAsync(target, targetTransaction, applyTimeout, nestedLoops: false, cancellationToken);
            await BatchApplier.ExecuteAsync(target, targetTransaction, plan.IsolateStageDdl, null, cancellationToken);
            if (sameDatabase)
            {
                await BatchApplier.ExecuteAsync(target, targetTransaction, plan.IsolateFillSql(batch.MaxSeq), null, cancellationToken);
            }
            else
            {
                await CopyStreamer.StreamAsync(
                    source, plan.CopyOutSql(batch.MaxSeq), target, plan.IsolateCopyInSql, plan.BinaryCopy, null, cancellationToken);
            }

            var keys = await ReadKeysAsync(plan, target, targetTransaction, cancellationToken);
            outcome = new Outcome();
            await ApplyKeySetAsync(plan, target, targetTransaction, keys, outcome, cancellationToken);
            await DeadLetterStore.ClearAsync(target, targetTransaction, plan.Sync.SqlName, outcome.Applied, cancellationToken);
            foreach (var (key, error) in outcome.Refused)
            {
                await DeadLetterStore.RecordAsync(
                    target, targetTransaction, plan.Sync.SqlName, key.Json, error.MessageText, error.SqlState, cancellationToken);
            }

            outcome.DeadLetters = await DeadLetterStore.CountAsync(target, targetTransaction, plan.Sync.SqlName, cancellationToken);
            if (ownTransaction is null)
            {
                await BatchApplier.DeleteConsumedAsync(plan, source, sourceTransaction, batch.Consumed, cancellationToken);
                await sourceTransaction.CommitAsync(cancellationToken);
            }
            else
            {
                await sourceTransaction.CommitAsync(cancellationToken);
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }

        if (!sameDatabase)
        {
            await BatchApplier.DeleteConsumedAsync(plan, source, null, batch.Consumed, cancellationToken);
        }

        return new BatchResult(batch.Rows, outcome.Upserted, outcome.Deleted, false, batch.OldestCapturedAt)
        {
            DeadLettered = outcome.Refused.Count,
            DeadLetters = outcome.DeadLetters,
        };
    }

    private static async Task<List<Key>> ReadKeysAsync(
        SyncPlan plan, NpgsqlConnection target, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var keys = new List<Key>();
        await using var command = new NpgsqlCommand(plan.IsolateKeysSql, target, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var columns = new string[plan.Keys.Count];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = reader.GetString(i);
            }

            keys.Add(new Key(columns, reader.GetString(columns.Length)));
        }

        return keys;
    }

    /// <summary>Applies a key set under a savepoint; when the target refuses it, splits it until the culprits stand alone.</summary>
    private static async Task ApplyKeySetAsync(
        SyncPlan plan, NpgsqlConnection target, NpgsqlTransaction transaction, IReadOnlyList<Key> keys, Outcome outcome,
        CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await transaction.SaveAsync(Savepoint, cancellationToken);
        try
        {
            var deleted = await ExecuteForKeysAsync(plan.IsolateDeleteSql, target, transaction, keys, cancellationToken);
            var upserted = await ExecuteForKeysAsync(plan.IsolateUpsertSql, target, transaction, keys, cancellationToken);
            await transaction.ReleaseAsync(Savepoint, cancellationToken);
            outcome.Deleted += deleted;
            outcome.Upserted += upserted;
            outcome.Applied.AddRange(keys.Select(k => k.Json));
        }
        catch (PostgresException error) when (IsRefusal(error))
        {
            // ROLLBACK TO keeps the savepoint: release it too, so the halves nest under the enclosing one.
            await transaction.RollbackAsync(Savepoint, cancellationToken);
            await transaction.ReleaseAsync(Savepoint, cancellationToken);
            if (keys.Count == 1)
            {
                outcome.Refused.Add((keys[0], error));
                return;
            }

            var half = keys.Count / 2;
            await ApplyKeySetAsync(plan, target, transaction, keys.Take(half).ToArray(), outcome, cancellationToken);
            await ApplyKeySetAsync(plan, target, transaction, keys.Skip(half).ToArray(), outcome, cancellationToken);
        }
    }

    private static async Task<long> ExecuteForKeysAsync(
        string sql, NpgsqlConnection target, NpgsqlTransaction transaction, IReadOnlyList<Key> keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, target, transaction);
        for (var i = 0; i < keys[0].Columns.Length; i++)
        {
            var column = i;
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.Select(k => k.Columns[column]).ToArray() });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A key of the batch: each column as text, and as JSON.</summary>
    private sealed record Key(string[] Columns, string Json);

    private sealed class Outcome
    {
        public long Upserted { get; set; }

        public long Deleted { get; set; }

        public List<string> Applied { get; } = [];

        public List<(Key Key, PostgresException Error)> Refused { get; } = [];

        public long DeadLetters { get; set; }
    }
}
