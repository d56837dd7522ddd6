using System.Buffers.Binary;

namespace ActorSync.Snapshot;

/// <summary>
/// Counts the rows of a COPY stream as its bytes pass through, without decoding values: in binary format by walking
/// the tuple framing (field count, then a length per field), in text format by counting line ends (a newline inside a
/// value is escaped, so every raw newline ends a row). This is what makes a raw byte copy report live progress.
/// </summary>
public sealed class CopyRowCounter
{
    // "PGCOPY\n\377\r\n\0": 11 bytes, then 4 bytes of flags and 4 of header-extension length.
    private const int SignatureLength = 11;

    private readonly bool _binary;
    private readonly byte[] _pending = new byte[32];
    private int _pendingLength;
    private long _skip;
    private int _fieldsLeft;
    private Stage _stage;

    public CopyRowCounter(bool binary)
    {
        _binary = binary;
        _stage = binary ? Stage.Header : Stage.Text;
    }

    private enum Stage
    {
        Header,
        TupleStart,
        FieldLength,
        Trailer,
        Text,
    }

    /// <summary>Rows seen so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Consumes the next chunk of the stream.</summary>
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (!_binary)
        {
            Rows += chunk.Count((byte)'\n');
            return;
        }

        while (!chunk.IsEmpty)
        {
            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, chunk.Length);
                _skip -= n;
                chunk = chunk[n..];
                continue;
            }

            switch (_stage)
            {
                case Stage.Header:
                    // Signature (11 bytes), flags (4), then the length of the header extension (4).
                    if (!Take(ref chunk, SignatureLength + 8, out var header))
                    {
                        return;
                    }

                    _skip = BinaryPrimitives.ReadInt32BigEndian(header[(SignatureLength + 4)..]);
                    _stage = Stage.TupleStart;
                    break;
                case Stage.TupleStart:
                    if (!Take(ref chunk, 2, out var count))
                    {
                        return;
                    }

                    var fields = BinaryPrimitives.ReadInt16BigEndian(count);
                    if (fields < 0)
                    {
                        _stage = Stage.Trailer;
                        return;
                    }

                    Rows++;
                    _fieldsLeft = fields;
                    _stage = fields == 0 ? Stage.TupleStart : Stage.FieldLength;
                    break;
                case Stage.FieldLength:
                    if (!Take(ref chunk, 4, out var length))
                    {
                        return;
                    }

                    _skip = Math.Max(0, BinaryPrimitives.ReadInt32BigEndian(length));
                    if (--_fieldsLeft == 0)
                    {
                        _stage = Stage.TupleStart;
                    }

                    break;
                default:
                    return;
            }
        }
    }

    // Gathers exactly `size` bytes (at most 19: the header) across chunk boundaries; false until they are all there.
    private bool Take(ref ReadOnlySpan<byte> chunk, int size, out ReadOnlySpan<byte> value)
    {
        if (_pendingLength == 0 && chunk.Length >= size)
        {
            value = chunk[..size];
            chunk = chunk[size..];
            return true;
        }

        var n = Math.Min(size - _pendingLength, chunk.Length);
        chunk[..n].CopyTo(_pending.AsSpan(_pendingLength));
        chunk = chunk[n..];
        _pendingLength += n;
        if (_pendingLength < size)
        {
            value = default;
            return false;
        }

        value = _pending.AsSpan(0, size);
        _pendingLength = 0;
        return true;
    }
}
