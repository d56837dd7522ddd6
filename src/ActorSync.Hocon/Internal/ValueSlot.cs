namespace ActorSync.Hocon.Internal;

/// <summary>What kind of value a <see cref="Scalar"/> will become.</summary>
internal enum ScalarKind : byte
{
    /// <summary>Not a scalar: the field holds a <see cref="HoconValue"/>.</summary>
    None,
    UnquotedString,
    QuotedString,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A simple value read from the source but not made into a <see cref="HoconValue"/> yet: most values of a large
/// document are never looked at one by one, so objects and arrays keep them as this (in a <see cref="ValueSlot"/>)
/// and make the value the first time it is read. What <see cref="Create"/> makes is what the parser would have made.
/// </summary>
internal readonly struct Scalar(SourceText source, int offset, int length, ScalarKind kind)
{
    /// <summary>The longest slice a field can hold without a value of its own (the length shares an int with the kind).</summary>
    public const int MaxLength = (1 << 28) - 1;

    public SourceText Source { get; } = source;

    public int Offset { get; } = offset;

    public int Length { get; } = length;

    public ScalarKind Kind { get; } = kind;

    public OriginRef OriginRef => new(Source, Offset);

    public HoconValue Create() => Kind switch
    {
        ScalarKind.UnquotedString => new HoconString(OriginRef, Length, quoted: false),
        ScalarKind.QuotedString => new HoconString(OriginRef, Length, quoted: true),
        ScalarKind.Number => new HoconNumber(OriginRef, Length),
        ScalarKind.True => new HoconBoolean(true, OriginRef),
        ScalarKind.False => new HoconBoolean(false, OriginRef),
        _ => new HoconNull(OriginRef),
    };
}

/// <summary>
/// Where an object or an array keeps one value: the <see cref="HoconValue"/>, or for a simple value nobody has read yet
/// the <see cref="SourceText"/> and where the value is in it (16 bytes, against 8 for a reference plus 32 to 40 for the
/// value object).
/// </summary>
internal struct ValueSlot
{
    public ValueSlot(HoconValue value) => ValueOrSource = value;

    public ValueSlot(in Scalar scalar)
    {
        ValueOrSource = scalar.Source;
        Offset = scalar.Offset;
        LengthAndKind = scalar.Length | ((int)scalar.Kind << 28);
    }

    /// <summary>The <see cref="HoconValue"/>, or the <see cref="SourceText"/> of a scalar not made yet.</summary>
    public object ValueOrSource;

    public int Offset;

    public int LengthAndKind;

    /// <summary>True when the value is there and resolved, or is a scalar (always resolved), without making it.</summary>
    public readonly bool IsResolved => ValueOrSource is not HoconValue value || value.IsResolved;

    /// <summary>
    /// The value, made from the source the first time. Two threads may both make it; the first one stored is kept and
    /// returned to both, so a slot always shows the same instance.
    /// </summary>
    public static HoconValue ValueOf(ref ValueSlot slot)
    {
        var current = slot.ValueOrSource;
        if (current is HoconValue value)
        {
            return value;
        }

        var kind = (ScalarKind)(slot.LengthAndKind >>> 28);
        var made = new Scalar((SourceText)current, slot.Offset, slot.LengthAndKind & Scalar.MaxLength, kind).Create();
        return Interlocked.CompareExchange(ref slot.ValueOrSource, made, current) as HoconValue ?? made;
    }
}

/// <summary>One field of a <see cref="HoconObject"/>: its key and its <see cref="ValueSlot"/> (24 bytes).</summary>
internal struct ObjectField
{
    public ObjectField(string key, HoconValue value)
    {
        Key = key;
        Slot = new ValueSlot(value);
    }

    public ObjectField(string key, in Scalar scalar)
    {
        Key = key;
        Slot = new ValueSlot(scalar);
    }

    public string Key;

    public ValueSlot Slot;
}
