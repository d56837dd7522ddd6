using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Makes the actor that receives it fail with <see cref="ActorKilledException"/>, which goes to its supervisor; the
/// default strategy stops it.
/// </summary>
public sealed class Kill : IAutoReceivedMessage
{
    /// <summary>The single instance.</summary>
    public static readonly Kill Instance = new();

    private Kill()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "<Kill>";
}
