using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Chooses the delta rows of a group batch in the batch's source snapshot (issue #19). When no member has more than
/// <c>batch-size</c> rows waiting, the batch is every visible row of every member: the target then shows the source as
/// of the snapshot, which holds whole transactions only. Otherwise it starts from the first <c>batch-size</c> rows of
/// each member and closes the set until nothing is added: every source transaction with a row in it, across members;
/// every visible row of a taken key (the current source row of a key carries the effect of every transaction that
/// touched it); and the parent rows waiting in a parent's delta whose keys the taken children reference.
/// </summary>
internal static class GroupSelection
{
    /// <summary>One member's part of the batch.</summary>
    internal sealed record Taken(SyncPlan Plan, string Condition, SeqRanges Consumed, int Rows, bool Truncate, DateTimeOffset? Oldest);

    public static async Task<List<Taken>> SelectAsync(
        SyncGroup group, IReadOnlyList<SyncPlan> members, NpgsqlConnection source, NpgsqlTransaction transaction, int batchSize,
        CancellationToken cancellationToken)
    {
        var bounds = new List<(SyncPlan Plan, long Count, long Min, long Max, DateTimeOffset? Oldest, long Markers)>();
        foreach (var plan in members)
        {
            await using var command = new NpgsqlCommand(plan.GroupBoundsSql, source, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var count = reader.GetInt64(0);
            if (count > 0)
            {
                bounds.Add((plan, count, reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4)));
            }
        }

        var taken = new List<Taken>();
        if (bounds.All(b => b.Count <= batchSize))
        {
            foreach (var (plan, count, min, max, oldest, markers) in bounds)
            {
                var consumed = count == max - min + 1
                    ? new SeqRanges([min], [max])
                    : await RangesAsync(plan, source, transaction, max, cancellationToken);
                taken.Add(new Taken(plan, SyncPlan.SeqUpTo(max), consumed, (int)count, markers > 0, oldest));
            }

            return taken;
        }

        var seqs = members.ToDictionary(p => p, _ => new HashSet<long>());
        foreach (var (plan, _, _, _, _, _) in bounds)
        {
            seqs[plan].UnionWith(await ReadLongsAsync(source, transaction, plan.GroupFirstSeqsSql, batchSize, cancellationToken));
        }

        var xids = new HashSet<string>(StringComparer.Ordinal);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var plan in members.Where(p => seqs[p].Count > 0))
            {
                xids.UnionWith(await ReadStringsAsync(source, transaction, plan.GroupXidsOfSql, seqs[plan].ToArray(), cancellationToken));
            }

            foreach (var plan in members)
            {
                if (xids.Count > 0)
                {
                    changed |= Add(seqs[plan], await ReadLongsAsync(source, transaction, plan.GroupSeqsOfXidsSql, xids.ToArray(), cancellationToken));
                }

                if (seqs[plan].Count > 0)
                {
                    changed |= Add(seqs[plan], await ReadLongsAsync(source, transaction, plan.GroupSeqsOfSameKeysSql, seqs[plan].ToArray(), cancellationToken));
                }
            }

            foreach (var link in group.Links)
            {
                var child = members.FirstOrDefault(p => p.Sync.Target == link.Child);
                var parent = members.FirstOrDefault(p => p.Sync.Target == link.Parent);
                if (child is null || parent is null || seqs[child].Count == 0 || child.GroupParentSeqsSql(parent, link) is not { } sql)
                {
                    continue;
                }

                changed |= Add(seqs[parent], await ReadLongsAsync(source, transaction, sql, seqs[child].ToArray(), cancellationToken));
            }
        }

        foreach (var plan in members.Where(p => seqs[p].Count > 0))
        {
            var sorted = seqs[plan].Order().ToArray();
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) FILTER (WHERE {plan.Keys[0].Quoted} IS NULL), min(actorsync_at) FROM {plan.DeltaTable} WHERE actorsync_seq = ANY ($1)",
                source, transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sorted });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            taken.Add(new Taken(
                plan, SyncPlan.SeqIn(sorted), Ranges(sorted), sorted.Length, reader.GetInt64(0) > 0,
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return taken;
    }

    private static bool Add(HashSet<long> set, IEnumerable<long> values)
    {
        var before = set.Count;
        set.UnionWith(values);
        return set.Count > before;
    }

    private static SeqRanges Ranges(long[] sorted)
    {
        var lower = new List<long>();
        var upper = new List<long>();
        foreach (var seq in sorted)
        {
            if (upper.Count > 0 && upper[^1] == seq - 1)
            {
                upper[^1] = seq;
            }
            else
            {
                lower.Add(seq);
                upper.Add(seq);
            }
        }

        return new SeqRanges([.. lower], [.. upper]);
    }

    private static async Task<SeqRanges> RangesAsync(
        SyncPlan plan, NpgsqlConnection source, NpgsqlTransaction transaction, long maxSeq, CancellationToken cancellationToken)
    {
        var lower = new List<long>();
        var upper = new List<long>();
        await using var command = new NpgsqlCommand(plan.BatchRangesSql, source, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxSeq });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lower.Add(reader.GetInt64(0));
            upper.Add(reader.GetInt64(1));
        }

        return new SeqRanges([.. lower], [.. upper]);
    }

    private static async Task<List<long>> ReadLongsAsync<T>(
        NpgsqlConnection source, NpgsqlTransaction transaction, string sql, T parameter, CancellationToken cancellationToken)
    {
        var values = new List<long>();
        await using var command = new NpgsqlCommand(sql, source, transaction);
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = parameter });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetInt64(0));
        }

        return values;
    }

    private static async Task<List<string>> ReadStringsAsync(
        NpgsqlConnection source, NpgsqlTransaction transaction, string sql, long[] parameter, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var command = new NpgsqlCommand(sql, source, transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = parameter });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
