namespace ActorSync.Apply;

/// <summary>A column a sync copies: its source and target types, and whether it belongs to the key.</summary>
public sealed record PlannedColumn(string Name, string SourceType, string TargetType, bool IsKey)
{
    /// <summary>The quoted name.</summary>
    public string Quoted => Sql.Identifier.Quote(Name);

    /// <summary>The source value needs a cast to reach the target type (a widening such as integer to bigint).</summary>
    public bool NeedsCast => !string.Equals(SourceType, TargetType, StringComparison.Ordinal);
}
