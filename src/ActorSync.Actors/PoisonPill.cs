using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Stops the actor that receives it. It is queued like any other message, so the actor first processes what was sent
/// before it; whatever is still queued behind it becomes dead letters.
/// </summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    /// <summary>The single instance.</summary>
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "<PoisonPill>";
}
