namespace ActorSync.Actors.Internal;

/// <summary>
/// The sender of <c>Tell(message)</c> outside any actor. Normally none; the TestKit sets its TestActor here so that
/// replies to messages a test sends reach the test, as in Akka.NET's TestKit.
/// </summary>
internal static class ImplicitSender
{
    private static readonly AsyncLocal<IActorRef?> Current = new();

    public static IActorRef? Value
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
