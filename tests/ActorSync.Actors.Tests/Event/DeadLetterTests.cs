using ActorSync.Actors.Event;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests.Event;

public sealed class DeadLetterTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item61_a_message_to_a_stopped_actor_or_to_dead_letters_is_published_as_a_DeadLetter()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
        actor.Tell("too late", probe.Ref);
        var deadLetter = ExpectMsg<DeadLetter>();
        Assert.Equal("too late", deadLetter.Message);
        Assert.Equal(probe.Ref, deadLetter.Sender);
        Assert.Equal(actor, deadLetter.Recipient);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Sys.DeadLetters.Tell("direct", probe.Ref);
        var direct = ExpectMsg<DeadLetter>();
        Assert.Equal("direct", direct.Message);
        Assert.Equal(Sys.DeadLetters, direct.Recipient);
    }

    [Fact]
    public async Task Item62_queued_messages_of_a_stopping_actor_and_unaccepted_replies_are_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        using var gate = new ManualResetEventSlim(false);
        var blocked = Sys.ActorOf(Props.Create(() => new GatedActor(gate, TestActor)));
        blocked.Tell("block");
        ExpectMsg("blocked");
        blocked.Tell("queued 1");
        blocked.Tell("queued 2");
        Sys.Stop(blocked);
        gate.Set();
        ExpectMsg<DeadLetter>(d => d.Message.Equals("queued 1"));
        ExpectMsg<DeadLetter>(d => d.Message.Equals("queued 2"));

        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<string>("question", TimeSpan.FromMilliseconds(50));
        probe.ExpectMsg("question");
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        probe.Reply("unaccepted");
        ExpectMsg<DeadLetter>(d => d.Message.Equals("unaccepted"));
    }

    [Fact]
    public void Item63_suppressed_dead_letters_are_published_separately_and_not_logged_and_logging_is_rate_limited()
    {
        var logs = new CollectingLoggerProvider();
        var settings = ActorSystemSettings.Default with
        {
            LoggerFactory = logs.Factory,
            LogDeadLetters = 3,
            LogDeadLettersSuspendDuration = TimeSpan.FromMilliseconds(300),
        };
        using var system = ActorSystem.Create("deadletters", settings);
        var probe = new TestKit.TestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(AllDeadLetters));

        system.DeadLetters.Tell(new Quiet());
        Assert.IsType<Quiet>(probe.ExpectMsg<SuppressedDeadLetter>().Message);
        for (var i = 1; i <= 5; i++)
        {
            system.DeadLetters.Tell(i);
        }

        // The published events do not depend on logging: all five arrive.
        for (var i = 1; i <= 5; i++)
        {
            probe.ExpectMsg<DeadLetter>(d => d.Message.Equals(i));
        }

        probe.AwaitAssert(() => Assert.Single(logs.Entries, e => e.EventId.Id == 1002));
        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == 1001));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(nameof(Quiet), StringComparison.Ordinal));

        // After the suspension, logging starts again.
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        system.DeadLetters.Tell(6);
        probe.ExpectMsg<DeadLetter>();
        probe.AwaitAssert(() => Assert.Equal(3, logs.Entries.Count(e => e.EventId.Id == 1001)));
        Assert.All(logs.Entries.Where(e => e.EventId.Id is 1001 or 1002), e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, e.Level));
    }

    private sealed class Quiet : IDeadLetterSuppression;

    private sealed class GatedActor : ReceiveActor
    {
        public GatedActor(ManualResetEventSlim gate, IActorRef probe)
        {
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked");
                gate.Wait(TimeSpan.FromSeconds(10));
            });
        }
    }
}
