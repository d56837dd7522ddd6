namespace ActorSync.Hocon;

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed class HoconBoolean : HoconValue
{
    /// <summary>Creates a boolean value.</summary>
    public HoconBoolean(bool value, HoconOrigin origin)
        : base(origin) => Value = value;

    internal HoconBoolean(bool value, Internal.OriginRef origin)
        : base(origin) => Value = value;

    /// <summary>The boolean.</summary>
    public bool Value { get; }

    /// <summary>Returns <c>true</c> or <c>false</c>, as a concatenation renders it.</summary>
    public override string ToString() => Value ? "true" : "false";
}
