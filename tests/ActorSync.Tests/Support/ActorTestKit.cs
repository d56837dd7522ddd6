using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;

namespace ActorSync.Tests.Support;

/// <summary>
/// Akka.TestKit.Xunit2's <see cref="TestKit"/> that notices unhandled messages: every <see cref="UnhandledMessage"/>
/// published while the test ran fails it when the test kit is disposed. A handler that silently drops what it was sent
/// (such as a <c>Receive&lt;T&gt;(x =&gt; flag = false)</c> that picked the <c>Func&lt;T, bool&gt;</c> overload) is a bug.
/// </summary>
public abstract class ActorTestKit : TestKit
{
    private readonly List<string> _unhandled = [];

    protected ActorTestKit()
    {
        var unhandled = _unhandled;
        var listener = Sys.ActorOf(Props.Create(() => new UnhandledListener(unhandled)), "unhandled-listener");
        Sys.EventStream.Subscribe(listener, typeof(UnhandledMessage));
    }

    protected override void AfterAll()
    {
        string[] unhandled;
        lock (_unhandled)
        {
            unhandled = [.. _unhandled];
        }

        base.AfterAll();
        Assert.True(unhandled.Length == 0, $"Actors left messages unhandled: {string.Join("; ", unhandled)}");
    }

    private sealed class UnhandledListener : ReceiveActor
    {
        public UnhandledListener(List<string> unhandled) => Receive<UnhandledMessage>(message =>
        {
            lock (unhandled)
            {
                unhandled.Add($"{message.Message.GetType().Name} sent to {message.Recipient.Path}");
            }
        });
    }
}
