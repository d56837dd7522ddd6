using System.Data;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Applies one batch of a consistent group (issue #19, DESIGN.md section 4): the delta rows of every member are read in
/// one REPEATABLE READ snapshot of the source and applied in one target transaction, deletes children first, upserts
/// parents first; the consumed delta rows of every member are deleted after the commit. The rows taken are closed over
/// source transactions (<c>actorsync_xid</c>), keys, and the parent rows a child references, so a reader of the target
/// sees each source transaction on the group's tables whole; a transaction larger than <c>batch-size</c> is applied whole.
/// </summary>
public static class GroupBatchApplier
{
    /// <summary>
    /// Applies the next batch of <paramref name="members"/> (the group's members that stream, in apply order).
    /// <paramref name="target"/> is <paramref name="source"/> when they share a database. With <paramref name="careful"/>
    /// the batch is applied one unit (source transactions and the rows that reference them) at a time, and the units the
    /// target refuses are dead-lettered (<see cref="GroupDeadLetters"/>). Failures are <see cref="GroupApplyException"/>
    /// naming the member's table.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, BatchResult>> ApplyAsync(
        SyncGroup group, IReadOnlyList<SyncPlan> members, NpgsqlConnection source, NpgsqlConnection target, int batchSize,
        TimeSpan applyTimeout, bool careful, CancellationToken cancellationToken)
    {
        var sameDatabase = members[0].Sync.SameDatabase;
        var results = new Dictionary<string, BatchResult>(StringComparer.Ordinal);
        List<GroupSelection.Taken> taken;
        await using (var sourceTransaction = await source.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            taken = await GroupSelection.SelectAsync(group, members, source, sourceTransaction, batchSize, cancellationToken);
            if (taken.Count == 0)
            {
                return results;
            }

            await using var ownTransaction = sameDatabase
                ? null
                : await target.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var targetTransaction = ownTransaction ?? sourceTransaction;
            await BatchApplier.SetTimeoutsAsync(target, targetTransaction, applyTimeout, nestedLoops: false, cancellationToken);
            if (group.Deferred.Count > 0)
            {
                // A cycle of DEFERRABLE foreign keys: checked at commit, when every member's rows are in (issue #19).
                await BatchApplier.ExecuteAsync(
                    target, targetTransaction, $"SET CONSTRAINTS {string.Join(", ", group.Deferred.Select(l => l.QuotedName).Distinct())} DEFERRED",
                    null, cancellationToken);
            }

            foreach (var member in taken)
            {
                await Named(member.Plan, async () =>
                {
                    await BatchApplier.ExecuteAsync(target, targetTransaction, member.Plan.TruncateStageSql, null, cancellationToken);
                    if (sameDatabase)
                    {
                        await BatchApplier.ExecuteAsync(
                            target, targetTransaction, member.Plan.GroupFillStageSql(member.Condition), null, cancellationToken);
                    }
                    else
                    {
                        await CopyStreamer.StreamAsync(
                            source, member.Plan.GroupCopyOutSql(member.Condition), target, member.Plan.CopyInSql, member.Plan.BinaryCopy, null,
                            cancellationToken);
                    }
                });
            }

            var outcome = careful
                ? await GroupDeadLetters.ApplyAsync(group, taken, source, sourceTransaction, target, targetTransaction, cancellationToken)
                : await ApplyAllAsync(taken, source, target, targetTransaction, sameDatabase, cancellationToken);

            if (ownTransaction is null)
            {
                foreach (var member in taken)
                {
                    await BatchApplier.DeleteConsumedAsync(member.Plan, source, sourceTransaction, member.Consumed, cancellationToken);
                }

                await Named(null, () => sourceTransaction.CommitAsync(cancellationToken));
            }
            else
            {
                await sourceTransaction.CommitAsync(cancellationToken);
                await Named(null, () => ownTransaction.CommitAsync(cancellationToken));
            }

            foreach (var member in taken)
            {
                var done = outcome[member.Plan.Sync.Name];
                results[member.Plan.Sync.Name] = new BatchResult(member.Rows, done.Upserted, done.Deleted, member.Truncate, member.Oldest)
                {
                    DeadLettered = done.DeadLettered,
                    DeadLetters = done.DeadLetters,
                };
            }
        }

        if (!sameDatabase)
        {
            foreach (var member in taken)
            {
                await BatchApplier.DeleteConsumedAsync(member.Plan, source, null, member.Consumed, cancellationToken);
            }
        }

        return results;
    }

    /// <summary>The fast path: every member's deletes, children first, then every member's upserts, parents first.</summary>
    private static async Task<Dictionary<string, MemberOutcome>> ApplyAllAsync(
        List<GroupSelection.Taken> taken, NpgsqlConnection source, NpgsqlConnection target, NpgsqlTransaction transaction, bool sameDatabase,
        CancellationToken cancellationToken)
    {
        var outcome = taken.ToDictionary(t => t.Plan.Sync.Name, _ => new MemberOutcome(), StringComparer.Ordinal);
        foreach (var member in Enumerable.Reverse(taken))
        {
            var plan = member.Plan;
            var done = outcome[plan.Sync.Name];
            await Named(plan, async () =>
            {
                if (member.Truncate)
                {
                    // A replicated TRUNCATE never empties a group's table: the rows whose keys the source lacks go.
                    if (sameDatabase)
                    {
                        done.Deleted += await BatchApplier.ExecuteAsync(target, transaction, plan.SameDatabaseDeleteAbsentSql, null, cancellationToken);
                    }
                    else
                    {
                        await BatchApplier.ExecuteAsync(target, transaction, plan.TruncateStageKeysSql, null, cancellationToken);
                        await CopyStreamer.StreamAsync(
                            source, plan.CopySourceKeysOutSql, target, plan.CopyKeysInSql, plan.BinaryCopy, null, cancellationToken);
                        done.Deleted += await BatchApplier.ExecuteAsync(target, transaction, plan.DeleteAbsentFromStageKeysSql, null, cancellationToken);
                    }
                }

                done.Deleted += await BatchApplier.ExecuteAsync(target, transaction, plan.DeleteFromStageSql, null, cancellationToken);
            });
        }

        foreach (var member in taken)
        {
            var plan = member.Plan;
            var done = outcome[plan.Sync.Name];
            await Named(plan, async () =>
                done.Upserted += await BatchApplier.ExecuteAsync(target, transaction, plan.UpsertFromStageSql, null, cancellationToken));
        }

        return outcome;
    }

    /// <summary>Runs a step of <paramref name="plan"/>'s table; a database error becomes a <see cref="GroupApplyException"/> naming it.</summary>
    internal static async Task Named(SyncPlan? plan, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (PostgresException error)
        {
            throw new GroupApplyException(plan, error);
        }
    }

    /// <summary>What one member's part of a batch did.</summary>
    internal sealed class MemberOutcome
    {
        public long Upserted { get; set; }

        public long Deleted { get; set; }

        public int DeadLettered { get; set; }

        public long? DeadLetters { get; set; }
    }
}

/// <summary>
/// A group batch failed (issue #19): the message names the target table whose statement failed, or, for a deferred
/// constraint checked at commit, the table PostgreSQL names. Nothing of the batch was applied.
/// </summary>
public sealed class GroupApplyException(SyncPlan? plan, PostgresException error) : Exception(Describe(plan, error), error)
{
    /// <summary>The database error.</summary>
    public PostgresException Error { get; } = error;

    private static string Describe(SyncPlan? plan, PostgresException error)
    {
        var table = plan is not null
            ? $"target table {plan.Sync.Target} (sync '{plan.Sync.Name}')"
            : error.TableName is { } name ? $"target table {error.SchemaName}.{name}" : "the group's target";
        return $"{table} refused the group's batch, so nothing of it was applied: {error.SqlState}: {error.MessageText}" +
               (error.Detail is { } detail ? $" ({detail})" : "");
    }
}
