using ActorSync.Actors.Event;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class MessagingTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item01_tell_returns_at_once_and_the_receiver_handles_one_message_at_a_time()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new BlockingActor(gate, TestActor)));

        // Tell returns while the receiver is still blocked in its first handler.
        actor.Tell(1);
        actor.Tell(2);
        ExpectMsg("entered 1");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        gate.Set();
        ExpectMsg("left 1");
        ExpectMsg("entered 2");
        ExpectMsg("left 2");
    }

    [Fact]
    public void Item02_messages_from_one_sender_arrive_in_order_for_actor_and_non_actor_senders()
    {
        var collector = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));
        for (var i = 0; i < 1000; i++)
        {
            collector.Tell(i);
        }

        for (var i = 0; i < 1000; i++)
        {
            ExpectMsg(i);
        }

        var relay = Sys.ActorOf(Props.Create(() => new RelayActor(collector)));
        relay.Tell(500);
        for (var i = 0; i < 500; i++)
        {
            ExpectMsg(i);
        }
    }

    [Fact]
    public void Item03_sender_is_the_ref_passed_with_tell_dead_letters_when_none_and_forward_keeps_it()
    {
        var probe = CreateTestProbe();
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        echo.Tell("hi", probe.Ref);
        probe.ExpectMsg("hi");
        Assert.Equal(echo, probe.LastSender);

        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var reporter = Sys.ActorOf(Props.Create(() => new SenderReporter(probe.Ref)));
        reporter.Tell("no sender", ActorRefs.NoSender);
        Assert.Equal(Sys.DeadLetters, probe.ExpectMsg<IActorRef>());

        // Replying to "no sender" produces a dead letter.
        echo.Tell("lost", ActorRefs.NoSender);
        ExpectMsg<DeadLetter>(d => d.Message.Equals("lost"));

        var forwarder = Sys.ActorOf(Props.Create(() => new ForwarderActor(reporter)));
        forwarder.Tell("via forward", probe.Ref);
        Assert.Equal(probe.Ref, probe.ExpectMsg<IActorRef>());
    }

    [Fact]
    public void Item04_first_matching_handler_wins_in_registration_order_and_receive_any_catches_the_rest()
    {
        var actor = Sys.ActorOf(Props.Create(() => new OrderedHandlersActor()));
        actor.Tell("short");
        ExpectMsg("string with predicate: short");
        actor.Tell("a much longer string");
        ExpectMsg("string: a much longer string");
        actor.Tell(42);
        ExpectMsg("any: 42");
    }

    [Fact]
    public void Item05_an_unhandled_message_is_published_and_the_actor_keeps_processing()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new StringOnlyActor()));
        actor.Tell(42);
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
        Assert.Equal(TestActor, unhandled.Sender);
        actor.Tell("still alive");
        ExpectMsg("still alive");
    }

    [Fact]
    public void Item06_receive_can_only_be_registered_in_the_constructor_or_inside_become()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LateRegistrationActor()));
        actor.Tell("register now");
        ExpectMsg<InvalidOperationException>();
        actor.Tell("become");
        actor.Tell("after become");
        ExpectMsg("registered in become: after become");
    }

    private sealed class BlockingActor : ReceiveActor
    {
        public BlockingActor(ManualResetEventSlim gate, IActorRef probe)
        {
            Receive<int>(i =>
            {
                probe.Tell("entered " + i);
                if (i == 1)
                {
                    gate.Wait();
                }

                probe.Tell("left " + i);
            });
        }
    }

    private sealed class ForwardingActor : ReceiveActor
    {
        public ForwardingActor(IActorRef target) => ReceiveAny(m => target.Tell(m));
    }

    private sealed class RelayActor : ReceiveActor
    {
        public RelayActor(IActorRef target)
        {
            Receive<int>(count =>
            {
                for (var i = 0; i < count; i++)
                {
                    target.Tell(i);
                }
            });
        }
    }

    private sealed class SenderReporter : ReceiveActor
    {
        public SenderReporter(IActorRef probe) => ReceiveAny(_ => probe.Tell(Sender));
    }

    private sealed class ForwarderActor : ReceiveActor
    {
        public ForwarderActor(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private sealed class OrderedHandlersActor : ReceiveActor
    {
        public OrderedHandlersActor()
        {
            Receive<string>(s => s.Length < 6, s => Sender.Tell("string with predicate: " + s));
            Receive<string>(s => Sender.Tell("string: " + s));
            Receive<string>(s => Sender.Tell("never: " + s));
            ReceiveAny(m => Sender.Tell("any: " + m));
        }
    }

    private sealed class StringOnlyActor : ReceiveActor
    {
        public StringOnlyActor() => Receive<string>(s => Sender.Tell(s));
    }

    private sealed class LateRegistrationActor : ReceiveActor
    {
        public LateRegistrationActor()
        {
            Receive<string>(s => s == "register now", _ =>
            {
                try
                {
                    Receive<int>(_ => { });
                }
                catch (InvalidOperationException e)
                {
                    Sender.Tell(e);
                }
            });
            Receive<string>(s => s == "become", _ => Become(() => Receive<string>(s => Sender.Tell("registered in become: " + s))));
        }
    }
}
