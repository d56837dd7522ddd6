namespace ActorSync.Actors;

/// <summary>The value of a completed operation that has no result, as returned by <see cref="CoordinatedShutdown"/> tasks.</summary>
public sealed class Done
{
    /// <summary>The single instance.</summary>
    public static readonly Done Instance = new();

    private Done()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "Done";
}
