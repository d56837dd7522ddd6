using System.Buffers.Binary;
using System.Text;

namespace ActorSync.Listening;

/// <summary>
/// A decoded row's values as pgoutput sent them: the text of each column in the connection's encoding (UTF-8), kept
/// in one array per row instead of a string per value (half the memory of UTF-16 strings and no object per value).
/// They are written to the target's COPY as they are (<see cref="Apply.WalRowApplier"/>), so a value is never decoded
/// into a string unless a small batch binds it as a parameter. Layout: the column count, each column's length in bytes
/// (-1 for NULL or a value not read), then the bytes of the values one after the other.
/// </summary>
public readonly struct WalValues
{
    private readonly byte[] _data;

    internal WalValues(byte[] data) => _data = data;

    /// <summary>No values: the row of a deleted key.</summary>
    public bool IsDefault => _data is null;

    public int Count => BinaryPrimitives.ReadInt32LittleEndian(_data);

    /// <summary>The bytes of text the row holds.</summary>
    public int TextBytes => _data.Length - DataStart;

    private int DataStart => 4 + (4 * Count);

    /// <summary>The length in bytes of a column's value; -1 for NULL.</summary>
    public int Length(int column) => BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(4 + (4 * column)));

    public bool IsNull(int column) => Length(column) < 0;

    /// <summary>Where each column's value starts (<paramref name="offsets"/> has room for <see cref="Count"/>).</summary>
    public void Offsets(Span<int> offsets)
    {
        var offset = DataStart;
        for (var column = 0; column < offsets.Length; column++)
        {
            offsets[column] = offset;
            offset += Math.Max(0, Length(column));
        }
    }

    /// <summary>The UTF-8 text of a column at <paramref name="offset"/> (from <see cref="Offsets"/>); empty for NULL.</summary>
    public ReadOnlyMemory<byte> Text(int column, int offset) => _data.AsMemory(offset, Math.Max(0, Length(column)));

    public string? GetString(int column)
    {
        if (IsNull(column))
        {
            return null;
        }

        var offsets = Count <= 64 ? stackalloc int[Count] : new int[Count];
        Offsets(offsets);
        return Encoding.UTF8.GetString(Text(column, offsets[column]).Span);
    }
}

/// <summary>
/// Gathers one decoded tuple's values (reused from tuple to tuple by the stream), then makes them a
/// <see cref="WalValues"/> in one allocation. Values are reserved in column order.
/// </summary>
public sealed class WalValuesBuilder
{
    private byte[] _buffer = new byte[4096];
    private int[] _lengths = new int[32];
    private int[] _offsets = new int[32];
    private int _count;
    private int _used;

    public void Reset(int count)
    {
        if (_lengths.Length < count)
        {
            _lengths = new int[count];
            _offsets = new int[count];
        }

        _count = count;
        _used = 0;
        _lengths.AsSpan(0, count).Fill(-1);
    }

    /// <summary>Room for a column's <paramref name="length"/> bytes of text, to be filled before the next call.</summary>
    public Memory<byte> Reserve(int column, int length)
    {
        if (_used + length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + length));
        }

        _lengths[column] = length;
        _offsets[column] = _used;
        _used += length;
        return _buffer.AsMemory(_offsets[column], length);
    }

    /// <summary>A column's value, as a string (the keys); null for NULL or a value not read.</summary>
    public string? GetString(int column) =>
        _lengths[column] < 0 ? null : Encoding.UTF8.GetString(_buffer, _offsets[column], _lengths[column]);

    public WalValues Build()
    {
        var data = new byte[4 + (4 * _count) + _used];
        BinaryPrimitives.WriteInt32LittleEndian(data, _count);
        for (var column = 0; column < _count; column++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 + (4 * column)), _lengths[column]);
        }

        // Reserved in column order, the values lie one after the other in the buffer already.
        _buffer.AsSpan(0, _used).CopyTo(data.AsSpan(4 + (4 * _count)));
        return new WalValues(data);
    }
}
