using NpgsqlTypes;

namespace ActorSync.Listening;

/// <summary>
/// What one WAL sync knows of rows on its target that are newer than the stream (DESIGN.md §5, "Why an older decoded
/// row never overwrites a newer one"): the fence, before which decoded rows are not applied but re-read, and the
/// snapshots of recent re-reads, whose keys skip decoded rows from transactions they already saw.
/// </summary>
public sealed class WalRowFence(int maxKeys = WalBacklog.DefaultMaxKeys)
{
    private readonly List<WalReread> _rereads = [];

    /// <summary>Decoded rows apply only from transactions that committed at or after this position; null: none do yet.</summary>
    public NpgsqlLogSequenceNumber? RowsFrom { get; private set; }

    /// <summary>The re-read snapshots remembered.</summary>
    public int Rereads => _rereads.Count;

    /// <summary>Decoded rows from transactions that committed at or after <paramref name="from"/> are newer than the target.</summary>
    public void StartAt(NpgsqlLogSequenceNumber from) => RowsFrom = from;

    /// <summary>Something unknown is written to the target (a copy): no decoded row applies until the next fence.</summary>
    public void Reset()
    {
        RowsFrom = null;
        _rereads.Clear();
    }

    /// <summary>Whether a part whose earliest transaction committed at <paramref name="firstCommit"/> may be applied from its rows.</summary>
    public bool AppliesRows(NpgsqlLogSequenceNumber firstCommit)
    {
        if (RowsFrom is not { } from || firstCommit < from)
        {
            return false;
        }

        // The stream is past every transaction these re-reads saw: they no longer tell anything.
        _rereads.RemoveAll(r => r.Bound <= firstCommit);
        return true;
    }

    /// <summary>A decoded row of <paramref name="key"/> from <paramref name="xid"/> is older than what a re-read put on the target.</summary>
    public bool Skips(string[] key, uint xid)
    {
        // A loop, not a lambda: this is asked for every decoded row, and a closure would be allocated for each.
        foreach (var reread in _rereads)
        {
            if (reread.Covers(key) && reread.Saw(xid))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Keeps a re-read's snapshot (its keys, not their rows). The first re-read of an incarnation fixes where decoded rows
    /// may be applied from. A re-read that emptied the target (a TRUNCATE) voids every earlier one: their keys are no
    /// longer on the target, so a decoded row that one of them saw must be applied again when it comes. Past
    /// <c>maxKeys</c> remembered keys the snapshots are let go and the fence moves past all of them instead.
    /// </summary>
    public void Remember(WalReread reread)
    {
        reread.Keys.DropRows();
        if (reread.Keys.Truncate)
        {
            _rereads.Clear();
        }

        _rereads.Add(reread);
        RowsFrom ??= reread.Bound;
        if (_rereads.Sum(r => (long)r.Keys.Count) > maxKeys)
        {
            var past = _rereads.Max(r => r.Bound);
            RowsFrom = RowsFrom is { } from && from > past ? from : past;
            _rereads.Clear();
        }
    }
}
