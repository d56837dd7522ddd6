using ActorSync.Apply;
using ActorSync.Listening;
using NpgsqlTypes;

namespace ActorSync.Tests.Listening;

/// <summary>
/// The decoded rows a WAL chunk keeps per key, and the re-read snapshots that tell an older decoded row from a newer
/// one (issue #20, DESIGN.md §5). Pure data structures: the engine tests are in WalCaptureEngineTests.
/// </summary>
public sealed class WalRowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Columns = ["id", "v"];

    private static WalValues V(params string?[] values)
    {
        var builder = new WalValuesBuilder();
        builder.Reset(values.Length);
        for (var column = 0; column < values.Length; column++)
        {
            if (values[column] is { } text)
            {
                System.Text.Encoding.UTF8.GetBytes(text, builder.Reserve(column, System.Text.Encoding.UTF8.GetByteCount(text)).Span);
            }
        }

        return builder.Build();
    }

    private static string?[] Strings(WalValues values) => Enumerable.Range(0, values.Count).Select(values.GetString).ToArray();

    [Fact]
    public void A_part_keeps_each_keys_last_row_or_its_delete_and_the_earliest_commit_position()
    {
        var keys = new WalKeySet();
        keys.AddRow(["1"], Columns, V("1", "a"), 700, T0, new NpgsqlLogSequenceNumber(200));
        keys.AddRow(["1"], Columns, V("1", "b"), 701, T0.AddSeconds(1), new NpgsqlLogSequenceNumber(300));
        keys.AddRow(["2"], Columns, default, 701, T0.AddSeconds(1), new NpgsqlLogSequenceNumber(300));

        var rows = Assert.IsAssignableFrom<IReadOnlyDictionary<string[], WalRow>>(keys.Rows);
        Assert.Equal("1,b", string.Join(",", Strings(rows.Single(r => r.Key[0] == "1").Value.Values)));
        Assert.Equal(701u, rows.Single(r => r.Key[0] == "1").Value.Xid);
        Assert.True(rows.Single(r => r.Key[0] == "2").Value.Values.IsDefault);
        Assert.Equal(new NpgsqlLogSequenceNumber(200), keys.FirstCommitLsn);
        Assert.Equal(T0, keys.OldestCommit);
        Assert.Equal([700u, 701u], keys.Xids.Order());
    }

    [Fact]
    public void One_change_without_its_row_or_a_truncate_leaves_only_keys_to_re_read()
    {
        var incomplete = new WalKeySet();
        incomplete.AddRow(["1"], Columns, V("1", "a"), 700, T0, new NpgsqlLogSequenceNumber(200));
        incomplete.Add(["2"], 700, T0); // an update that left a TOASTed value out
        Assert.Null(incomplete.Rows);
        Assert.Equal(2, incomplete.Count);

        var truncated = new WalKeySet();
        truncated.AddRow(["1"], Columns, V("1", "a"), 700, T0, new NpgsqlLogSequenceNumber(200));
        truncated.AddTruncate(701, T0);
        truncated.AddRow(["3"], Columns, V("3", "c"), 702, T0, new NpgsqlLogSequenceNumber(400));
        Assert.Null(truncated.Rows);
        Assert.True(truncated.Truncate);
        Assert.Equal(["3"], truncated.Keys.Single());

        var requeued = new WalKeySet();
        requeued.AddRequeued(["9"], T0);
        Assert.Null(requeued.Rows);
    }

    [Fact]
    public void Parts_queued_behind_an_apply_merge_with_later_rows_winning_but_backlogs_keep_keys_only()
    {
        var first = new WalKeySet();
        first.AddRow(["1"], Columns, V("1", "old"), 700, T0, new NpgsqlLogSequenceNumber(500));
        var second = new WalKeySet();
        second.AddRow(["1"], Columns, V("1", "new"), 701, T0.AddSeconds(1), new NpgsqlLogSequenceNumber(600));
        second.AddRow(["2"], Columns, default, 701, T0.AddSeconds(1), new NpgsqlLogSequenceNumber(600));

        var merged = new WalKeySet();
        merged.Append(first);
        merged.Append(second);
        var rows = merged.Rows!;
        Assert.Equal("1,new", string.Join(",", Strings(rows.Single(r => r.Key[0] == "1").Value.Values)));
        Assert.True(rows.Single(r => r.Key[0] == "2").Value.Values.IsDefault);
        Assert.Equal(new NpgsqlLogSequenceNumber(500), merged.FirstCommitLsn);

        var withIncomplete = new WalKeySet();
        withIncomplete.Append(first);
        var keysOnly = new WalKeySet();
        keysOnly.Add(["3"], 702, T0);
        withIncomplete.Append(keysOnly);
        Assert.Null(withIncomplete.Rows);
        Assert.Equal(2, withIncomplete.Count);

        var backlog = new WalKeySet();
        backlog.AddAll(second);
        Assert.Null(backlog.Rows);
        Assert.Equal(2, backlog.Count);

        merged.DropRows();
        Assert.Null(merged.Rows);
        Assert.True(merged.Contains(["1"]));
        Assert.Equal(2, merged.Count);
        merged.Append(second); // rows once let go stay gone: the keys are re-read
        Assert.Null(merged.Rows);
    }

    [Theory]
    [InlineData("plain text, 12.50", "plain text, 12.50")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("a\tb\nc\rd", "a\\tb\\nc\\rd")]
    [InlineData("naïve café ✓\t", "naïve café ✓\\t")]
    [InlineData("", "")]
    public void A_decoded_value_is_written_in_copy_text_format(string value, string expected)
    {
        using var line = new CopyBuffer(4);
        WalRowApplier.AppendCopyText(line, System.Text.Encoding.UTF8.GetBytes(value));
        Assert.Equal(expected, line.ToString());
    }

    [Fact]
    public void Decoded_values_keep_each_columns_text_and_nulls_in_one_array()
    {
        var values = V("42", null, "", "naïve ✓");
        Assert.Equal(4, values.Count);
        Assert.Equal(new string?[] { "42", null, "", "naïve ✓" }, Strings(values).AsEnumerable());
        Assert.True(values.IsNull(1));
        Assert.False(values.IsNull(2));
        Assert.Equal(2 + 0 + 0 + System.Text.Encoding.UTF8.GetByteCount("naïve ✓"), values.TextBytes);
    }

    [Fact]
    public void A_re_read_snapshot_saw_what_committed_before_it_and_nothing_running_or_after()
    {
        // xmin 1000, xmax 1010, 1003 and 1007 still running: the server's text form, 64-bit ids.
        var reread = WalReread.Parse(new WalKeySet(), "1000:1010:1003,1007", "0/5000");
        Assert.Equal(new NpgsqlLogSequenceNumber(0x5000), reread.Bound);
        Assert.True(reread.Saw(999));
        Assert.True(reread.Saw(1000));
        Assert.True(reread.Saw(1005));
        Assert.False(reread.Saw(1003));
        Assert.False(reread.Saw(1007));
        Assert.False(reread.Saw(1010));
        Assert.False(reread.Saw(2000));
        Assert.False(reread.Covers(["anything"])); // only the keys re-read (after a TRUNCATE the others are merely absent)

        var none = WalReread.Parse(new WalKeySet(), "42:42:", "1/0");
        Assert.True(none.Saw(41));
        Assert.False(none.Saw(42));
    }

    [Fact]
    public void Transaction_ids_compare_across_the_32_bit_wrap_and_the_epoch()
    {
        // Epoch 3: xmin and xmax straddle the wrap of the 32-bit counter that pgoutput's ids live in.
        const ulong Epoch = 3UL << 32;
        var reread = WalReread.Parse(new WalKeySet(), $"{Epoch - 5}:{Epoch + 5}:{Epoch + 1}", "0/1");
        Assert.True(reread.Saw(uint.MaxValue - 10)); // before xmin, in the epoch before
        Assert.True(reread.Saw(uint.MaxValue - 2)); // between xmin and the wrap
        Assert.True(reread.Saw(0));
        Assert.False(reread.Saw(1)); // running
        Assert.True(reread.Saw(4));
        Assert.False(reread.Saw(5)); // xmax
        Assert.False(reread.Saw(1000));

        var keys = new WalKeySet();
        keys.Add(["7"], 1, T0);
        var covering = WalReread.Parse(keys, "10:20:", "0/1");
        Assert.True(covering.Covers(["7"]));
        Assert.False(covering.Covers(["8"]));
    }

    [Fact]
    public void The_fence_opens_with_the_first_re_read_and_forgets_re_reads_the_stream_is_past()
    {
        var fence = new WalRowFence();
        Assert.False(fence.AppliesRows(new NpgsqlLogSequenceNumber(1)));

        var reread = WalReread.Parse(Keys("1", "2"), "100:110:", "0/500");
        fence.Remember(reread);
        Assert.Equal(new NpgsqlLogSequenceNumber(0x500), fence.RowsFrom);
        Assert.Null(reread.Keys.Rows); // only the keys are kept
        Assert.False(fence.AppliesRows(new NpgsqlLogSequenceNumber(0x4FF)));

        // A row of a re-read key from a transaction the snapshot saw is older than the target's row: skipped.
        Assert.True(fence.Skips(["1"], 105));
        Assert.False(fence.Skips(["1"], 110));
        Assert.False(fence.Skips(["3"], 105));

        // From the re-read's bound on the stream holds only transactions it did not see: it is let go.
        Assert.True(fence.AppliesRows(new NpgsqlLogSequenceNumber(0x500)));
        Assert.Equal(0, fence.Rereads);
        Assert.False(fence.Skips(["1"], 105));

        fence.Reset();
        Assert.Null(fence.RowsFrom);
        Assert.False(fence.AppliesRows(new NpgsqlLogSequenceNumber(0x600)));
    }

    [Fact]
    public void A_re_read_that_truncated_the_target_voids_the_re_reads_before_it()
    {
        // The torture test's WAL variant lost rows this way: key 7 was re-read (its snapshot saw transaction 105, which
        // inserted it), then a TRUNCATE earlier in the stream was re-read, which emptied the target; transaction 105's
        // decoded row came next and was skipped as "older than the target's", so key 7 never came back.
        var fence = new WalRowFence();
        fence.StartAt(new NpgsqlLogSequenceNumber(0x100));
        fence.Remember(WalReread.Parse(Keys("7"), "100:110:", "0/900"));
        Assert.True(fence.Skips(["7"], 105));

        var truncated = new WalKeySet();
        truncated.AddTruncate(90, T0);
        truncated.Add(["8"], 91, T0);
        fence.Remember(WalReread.Parse(truncated, "100:112:", "0/910"));

        Assert.False(fence.Skips(["7"], 105)); // no longer on the target: its decoded row is applied
        Assert.True(fence.Skips(["8"], 105)); // re-read after the TRUNCATE: on the target, as new as that snapshot
        Assert.Equal(1, fence.Rereads);
    }

    [Fact]
    public void Past_its_key_limit_the_fence_moves_past_every_re_read_instead_of_remembering_them()
    {
        var fence = new WalRowFence(maxKeys: 2);
        fence.Remember(WalReread.Parse(Keys("1", "2"), "100:110:", "0/500"));
        Assert.Equal(1, fence.Rereads);
        fence.Remember(WalReread.Parse(Keys("3"), "100:120:", "0/700"));
        Assert.Equal(0, fence.Rereads);
        Assert.Equal(new NpgsqlLogSequenceNumber(0x700), fence.RowsFrom);
        Assert.False(fence.AppliesRows(new NpgsqlLogSequenceNumber(0x600))); // re-read instead
    }

    private static WalKeySet Keys(params string[] keys)
    {
        var set = new WalKeySet();
        foreach (var key in keys)
        {
            set.AddRow([key], Columns, V(key, "v"), 1, T0, new NpgsqlLogSequenceNumber(1));
        }

        return set;
    }
}
