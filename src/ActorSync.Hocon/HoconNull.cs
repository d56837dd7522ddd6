namespace ActorSync.Hocon;

/// <summary>
/// <c>null</c>. A field set to null is present: a substitution finds it and does not fall back to the environment.
/// </summary>
public sealed class HoconNull : HoconValue
{
    /// <summary>Creates a null value.</summary>
    public HoconNull(HoconOrigin origin)
        : base(origin)
    {
    }

    internal HoconNull(Internal.OriginRef origin)
        : base(origin)
    {
    }

    /// <summary>Returns <c>null</c>, as a concatenation renders it.</summary>
    public override string ToString() => "null";
}
