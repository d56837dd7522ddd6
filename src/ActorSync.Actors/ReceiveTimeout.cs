namespace ActorSync.Actors;

/// <summary>
/// Sent to an actor that set <see cref="IActorContext.SetReceiveTimeout"/> and received no message for that long.
/// </summary>
public sealed class ReceiveTimeout : INotInfluenceReceiveTimeout
{
    /// <summary>The single instance.</summary>
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Marks a message whose arrival does not restart the receiver's receive timeout.</summary>
public interface INotInfluenceReceiveTimeout
{
}
