using ActorSync.Configuration;
using ActorSync.State;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// The careful path of a group batch (issue #19), taken when a member has <c>on-apply-error = dead-letter</c> and the
/// batch was refused, or a member has dead letters. The batch is cut into units that must apply together: the keys of
/// one source transaction, across members, joined with the child rows that reference a parent key of the batch. Each
/// unit applies under a savepoint (deletes children first, upserts parents first). A refused unit is rolled back; its
/// culprit is found by trying its keys one by one, and every key of the unit is dead-lettered: the culprit with the
/// target's error, the others saying which key they went with. A refused unit with a key of a member whose
/// <c>on-apply-error</c> is <c>retry</c> fails the whole batch instead.
/// </summary>
internal static class GroupDeadLetters
{
    private const string UnitSavepoint = "actorsync_group_unit";
    private const string ProbeSavepoint = "actorsync_group_probe";

    public static async Task<Dictionary<string, GroupBatchApplier.MemberOutcome>> ApplyAsync(
        SyncGroup group, List<GroupSelection.Taken> taken, NpgsqlConnection source, NpgsqlTransaction sourceTransaction,
        NpgsqlConnection target, NpgsqlTransaction targetTransaction, CancellationToken cancellationToken)
    {
        var outcome = taken.ToDictionary(t => t.Plan.Sync.Name, _ => new GroupBatchApplier.MemberOutcome(), StringComparer.Ordinal);
        var order = taken.Select(t => t.Plan).ToList();

        // Truncates first, as on the fast path: the rows whose keys the source lacks go, children first.
        foreach (var member in Enumerable.Reverse(taken).Where(t => t.Truncate))
        {
            var plan = member.Plan;
            await GroupBatchApplier.Named(plan, async () =>
            {
                if (plan.Sync.SameDatabase)
                {
                    outcome[plan.Sync.Name].Deleted += await BatchApplier.ExecuteAsync(
                        target, targetTransaction, plan.SameDatabaseDeleteAbsentSql, null, cancellationToken);
                }
                else
                {
                    await BatchApplier.ExecuteAsync(target, targetTransaction, plan.TruncateStageKeysSql, null, cancellationToken);
                    await CopyStreamer.StreamAsync(
                        source, plan.CopySourceKeysOutSql, target, plan.CopyKeysInSql, plan.BinaryCopy, null, cancellationToken);
                    outcome[plan.Sync.Name].Deleted += await BatchApplier.ExecuteAsync(
                        target, targetTransaction, plan.DeleteAbsentFromStageKeysSql, null, cancellationToken);
                }
            });
        }

        // The nodes: one per (member, key); joined by source transaction and by reference.
        var nodes = new List<Node>();
        var byKey = new Dictionary<(string Sync, string Key), int>();
        var byXid = new Dictionary<string, int>(StringComparer.Ordinal);
        var parent = new List<int>();
        foreach (var member in taken)
        {
            await using var command = new NpgsqlCommand(member.Plan.GroupDeltaKeysSql(member.Condition), source, sourceTransaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var count = member.Plan.Keys.Count;
            while (await reader.ReadAsync(cancellationToken))
            {
                var json = reader.GetString(count);
                if (!byKey.TryGetValue((member.Plan.Sync.Name, json), out var node))
                {
                    node = nodes.Count;
                    var columns = new string[count];
                    for (var i = 0; i < count; i++)
                    {
                        columns[i] = reader.GetString(i);
                    }

                    nodes.Add(new Node(member.Plan, columns, json));
                    parent.Add(node);
                    byKey[(member.Plan.Sync.Name, json)] = node;
                }

                if (!reader.IsDBNull(count + 1))
                {
                    var xid = reader.GetString(count + 1);
                    if (byXid.TryGetValue(xid, out var other))
                    {
                        Union(parent, node, other);
                    }
                    else
                    {
                        byXid[xid] = node;
                    }
                }
            }
        }

        foreach (var link in group.Links)
        {
            var child = order.FirstOrDefault(p => p.Sync.Target == link.Child);
            var referenced = order.FirstOrDefault(p => p.Sync.Target == link.Parent);
            if (child is null || referenced is null || child.GroupStageReferencesSql(referenced, link) is not { } sql)
            {
                continue;
            }

            await using var command = new NpgsqlCommand(sql, target, targetTransaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (byKey.TryGetValue((child.Sync.Name, reader.GetString(0)), out var c) &&
                    byKey.TryGetValue((referenced.Sync.Name, reader.GetString(1)), out var p))
                {
                    Union(parent, c, p);
                }
            }
        }

        var applied = order.ToDictionary(p => p.Sync.Name, _ => new List<string>(), StringComparer.Ordinal);
        var refused = new List<(Node Node, string Error, string SqlState)>();
        foreach (var unit in Enumerable.Range(0, nodes.Count).GroupBy(n => Find(parent, n)).Select(g => g.Select(n => nodes[n]).ToArray()))
        {
            await targetTransaction.SaveAsync(UnitSavepoint, cancellationToken);
            try
            {
                var (deleted, upserted) = await ApplyUnitAsync(order, unit, target, targetTransaction, cancellationToken);
                await targetTransaction.ReleaseAsync(UnitSavepoint, cancellationToken);
                foreach (var node in unit)
                {
                    applied[node.Plan.Sync.Name].Add(node.Json);
                }

                foreach (var (sync, count) in deleted)
                {
                    outcome[sync].Deleted += count;
                }

                foreach (var (sync, count) in upserted)
                {
                    outcome[sync].Upserted += count;
                }
            }
            catch (PostgresException error) when (DeadLetterApplier.IsRefusal(error))
            {
                await targetTransaction.RollbackAsync(UnitSavepoint, cancellationToken);
                await targetTransaction.ReleaseAsync(UnitSavepoint, cancellationToken);
                if (unit.FirstOrDefault(n => n.Plan.Sync.OnApplyError != OnApplyError.DeadLetter) is { } retried)
                {
                    throw new GroupApplyException(retried.Plan, error);
                }

                var (culprit, culpritError) = await FindCulpritAsync(order, unit, error, target, targetTransaction, cancellationToken);
                refused.Add((culprit, culpritError.MessageText, culpritError.SqlState));
                foreach (var node in unit.Where(n => n != culprit))
                {
                    refused.Add((node,
                        $"dead-lettered with key {culprit.Json} of sync '{culprit.Plan.Sync.Name}', which target table {culprit.Plan.Sync.Target} " +
                        $"refused ({culpritError.SqlState}: {culpritError.MessageText}): this row is in the same source transaction or references it",
                        culpritError.SqlState));
                }
            }
        }

        foreach (var plan in order.Where(p => p.Sync.OnApplyError == OnApplyError.DeadLetter))
        {
            var name = plan.Sync.Name;
            await DeadLetterStore.ClearAsync(target, targetTransaction, plan.Sync.SqlName, applied[name], cancellationToken);
            foreach (var (node, error, sqlState) in refused.Where(r => r.Node.Plan == plan))
            {
                await DeadLetterStore.RecordAsync(target, targetTransaction, plan.Sync.SqlName, node.Json, error, sqlState, cancellationToken);
                outcome[name].DeadLettered++;
            }

            outcome[name].DeadLetters = await DeadLetterStore.CountAsync(target, targetTransaction, plan.Sync.SqlName, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Deletes of the unit's keys, children first, then upserts, parents first.</summary>
    private static async Task<(Dictionary<string, long> Deleted, Dictionary<string, long> Upserted)> ApplyUnitAsync(
        List<SyncPlan> order, IReadOnlyList<Node> unit, NpgsqlConnection target, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        var upserted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var plan in Enumerable.Reverse(order))
        {
            var keys = unit.Where(n => n.Plan == plan).ToArray();
            if (keys.Length > 0)
            {
                deleted[plan.Sync.Name] = await ExecuteForKeysAsync(plan.GroupStageDeleteForKeysSql, keys, target, transaction, cancellationToken);
            }
        }

        foreach (var plan in order)
        {
            var keys = unit.Where(n => n.Plan == plan).ToArray();
            if (keys.Length > 0)
            {
                upserted[plan.Sync.Name] = await ExecuteForKeysAsync(plan.GroupStageUpsertForKeysSql, keys, target, transaction, cancellationToken);
            }
        }

        return (deleted, upserted);
    }

    /// <summary>
    /// Applies the unit's keys again one statement per key, in the unit's order (deletes children first, then upserts
    /// parents first, so that a child is tried after its parent), under a savepoint rolled back afterwards: the first key
    /// the target refuses is the culprit. When none is refused (only the commit of all of them would be), the unit's
    /// first key and its error stand for it.
    /// </summary>
    private static async Task<(Node Node, PostgresException Error)> FindCulpritAsync(
        List<SyncPlan> order, Node[] unit, PostgresException unitError, NpgsqlConnection target, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        var steps = Enumerable.Reverse(order).SelectMany(p => unit.Where(n => n.Plan == p).Select(n => (Node: n, Sql: p.GroupStageDeleteForKeysSql)))
            .Concat(order.SelectMany(p => unit.Where(n => n.Plan == p).Select(n => (Node: n, Sql: p.GroupStageUpsertForKeysSql))));
        await transaction.SaveAsync(ProbeSavepoint, cancellationToken);
        (Node Node, PostgresException Error) culprit = (unit[0], unitError);
        foreach (var (node, sql) in steps)
        {
            try
            {
                await ExecuteForKeysAsync(sql, [node], target, transaction, cancellationToken);
            }
            catch (PostgresException error) when (DeadLetterApplier.IsRefusal(error))
            {
                culprit = (node, error);
                break;
            }
        }

        await transaction.RollbackAsync(ProbeSavepoint, cancellationToken);
        await transaction.ReleaseAsync(ProbeSavepoint, cancellationToken);
        return culprit;
    }

    private static async Task<long> ExecuteForKeysAsync(
        string sql, IReadOnlyList<Node> keys, NpgsqlConnection target, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, target, transaction);
        for (var i = 0; i < keys[0].Columns.Length; i++)
        {
            var column = i;
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.Select(k => k.Columns[column]).ToArray() });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static int Find(List<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(List<int> parent, int a, int b)
    {
        var (ra, rb) = (Find(parent, a), Find(parent, b));
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    private sealed record Node(SyncPlan Plan, string[] Columns, string Json);
}
