using ActorSync.Listening;

namespace ActorSync.Tests.Listening;

/// <summary>
/// The keys a WAL sync holds while it cannot apply (issue #20): distinct keys up to <c>wal-backlog-keys</c>, then
/// dropped with <see cref="WalBacklog.Overflowed"/> set so the stream is replayed from the slot. A pure data structure:
/// no database is involved (the engine test of the replay is in WalBacklogReplayTests).
/// </summary>
public sealed class WalBacklogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Keys_are_kept_distinct_up_to_the_limit_and_dropped_past_it()
    {
        var backlog = new WalBacklog(maxKeys: 3);
        Assert.Equal(3, backlog.MaxKeys);
        Assert.True(backlog.IsEmpty);

        backlog.Add(Keys(100, T0.AddSeconds(5), "1", "2"));
        backlog.Add(Keys(101, T0, "2", "3")); // "2" again: still 3 distinct keys, at the limit
        Assert.Equal(3, backlog.Count);
        Assert.False(backlog.Overflowed);
        Assert.True(backlog.Held);
        Assert.True(backlog.HasKeys);
        Assert.Equal(T0, backlog.OldestCommit);

        backlog.Add(Keys(102, T0, "4"));
        Assert.True(backlog.Overflowed);
        Assert.Equal(0, backlog.Count);
        Assert.False(backlog.HasKeys);
        Assert.True(backlog.Held);
        Assert.False(backlog.IsEmpty); // overflowed: the slot stays held until the replay is asked for

        // Once overflowed, what arrives is dropped too: the replay brings it again.
        backlog.Add(Keys(103, T0, "5"));
        Assert.Equal(0, backlog.Count);
        Assert.Empty(backlog.Take().Keys);

        backlog.Release();
        Assert.False(backlog.Overflowed);
        Assert.False(backlog.Held);
        Assert.True(backlog.IsEmpty);

        // After the release it fills again from nothing.
        backlog.Add(Keys(104, T0, "6"));
        Assert.Equal(["6"], backlog.Take().Keys.Select(k => k[0]));
    }

    [Fact]
    public void Take_empties_it_but_keeps_the_hold_until_release()
    {
        var backlog = new WalBacklog(maxKeys: 10);
        backlog.Add(Keys(7, T0, "1", "2"));

        var taken = backlog.Take();

        Assert.Equal(["1", "2"], taken.Keys.Select(k => k[0]).Order());
        Assert.Equal([7u], taken.Xids);
        Assert.Equal(0, backlog.Count);
        Assert.False(backlog.HasKeys);
        Assert.True(backlog.Held);
        Assert.False(backlog.IsEmpty);
        Assert.Null(backlog.OldestCommit);

        backlog.Release();
        Assert.True(backlog.IsEmpty);
    }

    [Fact]
    public void Restore_puts_taken_keys_back_before_what_arrived_since_and_a_later_truncate_still_supersedes_them()
    {
        var backlog = new WalBacklog(maxKeys: 10);
        backlog.Add(Keys(1, T0, "1", "2"));
        var taken = backlog.Take();
        var truncated = new WalKeySet();
        truncated.AddTruncate(2, T0.AddSeconds(1));
        truncated.Add(["3"], 2, T0.AddSeconds(1));
        backlog.Add(truncated);

        backlog.Restore(taken);

        var keys = backlog.Take();
        Assert.True(keys.Truncate);
        Assert.Equal(["3"], keys.Keys.Select(k => k[0]));
        Assert.Equal([1u, 2u], keys.Xids.Order());
        Assert.Equal(T0, keys.OldestCommit);
    }

    [Fact]
    public void Restore_of_keys_that_were_applied_directly_holds_the_slot()
    {
        // A streaming replicator with no backlog applies a chunk's keys directly; it failed with them in flight.
        var backlog = new WalBacklog(maxKeys: 10);
        Assert.False(backlog.Held);
        var inFlight = new WalKeySet();
        inFlight.AddTruncate(5, T0);
        inFlight.Add(["1"], 5, T0);

        backlog.Restore(inFlight);
        backlog.Add(Keys(6, T0.AddSeconds(1), "2")); // the next chunk, while the replicator restarts

        Assert.True(backlog.Held);
        Assert.False(backlog.IsEmpty);
        var keys = backlog.Take();
        Assert.True(keys.Truncate); // the truncate is kept, and the keys after it with it
        Assert.Equal(["1", "2"], keys.Keys.Select(k => k[0]).Order());
        Assert.Equal(T0, keys.OldestCommit);
    }

    [Fact]
    public void Restore_past_the_limit_overflows()
    {
        var backlog = new WalBacklog(maxKeys: 2);
        backlog.Add(Keys(1, T0, "1", "2"));
        var taken = backlog.Take();
        backlog.Add(Keys(2, T0, "3"));

        backlog.Restore(taken);

        Assert.True(backlog.Overflowed);
        Assert.Equal(0, backlog.Count);
        Assert.True(backlog.Held);

        // Restoring into an overflowed backlog keeps nothing: the replay brings those keys again as well.
        backlog.Restore(Keys(3, T0, "4"));
        Assert.Equal(0, backlog.Count);
    }

    [Fact]
    public void The_default_limit_is_200000_and_the_limit_must_be_positive()
    {
        Assert.Equal(200_000, new WalBacklog().MaxKeys);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WalBacklog(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WalBacklog(-1));
    }

    private static WalKeySet Keys(uint xid, DateTimeOffset commit, params string[] keys)
    {
        var set = new WalKeySet();
        foreach (var key in keys)
        {
            set.Add([key], xid, commit);
        }

        return set;
    }
}
