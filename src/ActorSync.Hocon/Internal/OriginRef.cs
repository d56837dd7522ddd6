namespace ActorSync.Hocon.Internal;

/// <summary>
/// An origin as values store it: a position in a <see cref="SourceText"/> (what the parser gives every value it
/// reads), or a <see cref="HoconOrigin"/> given as such (boxed), turned into a <see cref="HoconOrigin"/> only when asked.
/// </summary>
internal readonly struct OriginRef
{
    public OriginRef(SourceText source, int offset)
    {
        Where = source;
        Offset = offset;
    }

    private OriginRef(HoconOrigin origin)
    {
        Where = origin;
        Offset = 0;
    }

    internal OriginRef(object where, int offset)
    {
        Where = where;
        Offset = offset;
    }

    /// <summary>The <see cref="SourceText"/>, or the boxed <see cref="HoconOrigin"/>.</summary>
    public object Where { get; }

    public int Offset { get; }

    public static implicit operator OriginRef(HoconOrigin origin) => new(origin);

    public HoconOrigin ToOrigin() => Where is SourceText source ? source.OriginAt(Offset) : (HoconOrigin)Where;
}
