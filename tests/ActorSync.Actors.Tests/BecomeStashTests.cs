using ActorSync.Actors.Event;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class BecomeStashTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item45_become_replaces_become_stacked_pushes_unbecome_pops_and_become_works_in_the_constructor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switcher(false)));
        actor.Tell("which");
        ExpectMsg("initial");
        actor.Tell("become A");
        actor.Tell("which");
        ExpectMsg("A");
        actor.Tell("become B");
        actor.Tell("which");
        ExpectMsg("B");

        // Two Become calls and one Unbecome: back to the initial behaviour, not to A.
        actor.Tell("unbecome");
        actor.Tell("which");
        ExpectMsg("initial");

        actor.Tell("stack A");
        actor.Tell("stack B");
        actor.Tell("which");
        ExpectMsg("B");
        actor.Tell("unbecome");
        actor.Tell("which");
        ExpectMsg("A");
        actor.Tell("unbecome");
        actor.Tell("unbecome");
        actor.Tell("which");
        ExpectMsg("initial");

        var becameInConstructor = Sys.ActorOf(Props.Create(() => new Switcher(true)));
        becameInConstructor.Tell("which");
        ExpectMsg("A");
    }

    [Fact]
    public void Item46_a_become_while_a_behaviour_is_being_set_up_loses_to_the_first_and_a_restart_returns_to_the_constructors()
    {
        var actor = Sys.ActorOf(Props.Create(() => new NestedBecome()));
        actor.Tell("go");
        actor.Tell("which");
        ExpectMsg("outer");
        actor.Tell(new InvalidOperationException("restart"));
        actor.Tell("which");
        ExpectMsg("constructor");
    }

    [Fact]
    public void Item47_unstash_all_puts_stashed_messages_at_the_front_in_order_and_empties_the_stash()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Stasher(TestActor)));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("c");
        actor.Tell("count");
        ExpectMsg(3);

        // "open" unstashes; "d" was sent before "open" is processed but arrives after the stashed ones.
        actor.Tell("open");
        actor.Tell("d");
        ExpectMsg("a");
        ExpectMsg("b");
        ExpectMsg("c");
        ExpectMsg("d");
        actor.Tell("count");
        ExpectMsg(0);
    }

    [Fact]
    public void Item48_stashing_twice_throws_equal_messages_can_both_be_stashed_and_a_full_bounded_stash_overflows()
    {
        var actor = Sys.ActorOf(Props.Create(() => new DoubleStasher(TestActor)));
        actor.Tell("twice");
        ExpectMsg<IllegalStateException>();
        actor.Tell("same");
        actor.Tell("same");
        actor.Tell("count");
        ExpectMsg(3);

        var bounded = Sys.ActorOf(Props.Create(() => new Stasher(TestActor)).WithStashCapacity(2));
        bounded.Tell("a");
        bounded.Tell("b");
        bounded.Tell("c");
        ExpectMsg<StashOverflowException>();
        bounded.Tell("count");
        ExpectMsg(2);
    }

    [Fact]
    public void Item49_stashed_messages_survive_a_restart_unless_cleared_and_become_dead_letters_on_stop()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Stasher(TestActor)));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell(new InvalidOperationException("restart"));
        ExpectMsg("restarted");
        actor.Tell("open");
        ExpectMsg("a");
        ExpectMsg("b");

        var clearing = Sys.ActorOf(Props.Create(() => new ClearingStasher(TestActor)));
        clearing.Tell("a");
        clearing.Tell(new InvalidOperationException("restart"));
        ExpectMsg("restarted");
        clearing.Tell("open");
        clearing.Tell("z");
        ExpectMsg("z");

        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var stopping = Sys.ActorOf(Props.Create(() => new Stasher(TestActor)));
        stopping.Tell("x");
        stopping.Tell("y");
        stopping.Tell("count");
        ExpectMsg(2);
        Sys.Stop(stopping);
        ExpectMsg<DeadLetter>(d => d.Message.Equals("x"));
        ExpectMsg<DeadLetter>(d => d.Message.Equals("y"));
    }

    [Fact]
    public void Item50_a_stashed_Terminated_is_delivered_again_as_a_normal_Terminated_when_unstashed()
    {
        var target = Sys.ActorOf(Props.Create(() => new Stasher(TestActor)));
        var watcher = Sys.ActorOf(Props.Create(() => new TerminatedStasher(TestActor, target)));
        watcher.Tell("ready?");
        ExpectMsg("ready");
        Sys.Stop(target);
        ExpectMsg("stashed Terminated");
        watcher.Tell("open");
        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
    }

    private sealed class Switcher : ReceiveActor
    {
        public Switcher(bool becomeInConstructor)
        {
            Receive<string>(s => s == "which", _ => Sender.Tell("initial"));
            Common();
            if (becomeInConstructor)
            {
                Become(A);
            }
        }

        private void Common()
        {
            Receive<string>(s => s == "become A", _ => Become(A));
            Receive<string>(s => s == "become B", _ => Become(B));
            Receive<string>(s => s == "stack A", _ => BecomeStacked(A));
            Receive<string>(s => s == "stack B", _ => BecomeStacked(B));
            Receive<string>(s => s == "unbecome", _ => UnbecomeStacked());
        }

        private void A()
        {
            Receive<string>(s => s == "which", _ => Sender.Tell("A"));
            Common();
        }

        private void B()
        {
            Receive<string>(s => s == "which", _ => Sender.Tell("B"));
            Common();
        }
    }

    private sealed class NestedBecome : ReceiveActor
    {
        public NestedBecome()
        {
            Receive<string>(s => s == "which", _ => Sender.Tell("constructor"));
            Receive<string>(s => s == "go", _ => Become(() =>
            {
                // A Become issued while this behaviour is being set up: the outer (first) one takes effect.
                Become(() => Receive<string>(s => s == "which", _ => Sender.Tell("inner")));
                Receive<string>(s => s == "which", _ => Sender.Tell("outer"));
                Receive<Exception>(e => throw e);
            }));
        }
    }

    private class Stasher : ReceiveActor, IWithStash
    {
        public Stasher(IActorRef probe)
        {
            Receive<Exception>(e => throw e);
            Receive<string>(s => s == "count", _ => probe.Tell(Stash.Count));
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() =>
                {
                    Receive<string>(s => s == "count", _ => probe.Tell(Stash.Count));
                    ReceiveAny(m => probe.Tell(m));
                });
            });
            Receive<string>(_ =>
            {
                try
                {
                    Stash.Stash();
                }
                catch (StashOverflowException e)
                {
                    probe.Tell(e);
                }
            });
            Probe = probe;
        }

        public IStash Stash { get; set; } = null!;

        protected IActorRef Probe { get; }

        protected override void PostRestart(Exception reason) => Probe.Tell("restarted");
    }

    private sealed class ClearingStasher(IActorRef probe) : Stasher(probe)
    {
        protected override void PreRestart(Exception reason, object? message)
        {
            Stash.ClearStash();
            base.PreRestart(reason, message);
        }
    }

    private sealed class DoubleStasher : ReceiveActor, IWithUnboundedStash
    {
        public DoubleStasher(IActorRef probe)
        {
            Receive<string>(s => s == "count", _ => probe.Tell(Stash.Count));
            Receive<string>(s => s == "twice", _ =>
            {
                Stash.Stash();
                try
                {
                    Stash.Stash();
                }
                catch (IllegalStateException e)
                {
                    probe.Tell(e);
                }
            });
            Receive<string>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    private sealed class TerminatedStasher : ReceiveActor, IWithStash
    {
        public TerminatedStasher(IActorRef probe, IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(s => s == "ready?", _ => probe.Tell("ready"));
            Receive<Terminated>(_ =>
            {
                Stash.Stash();
                probe.Tell("stashed Terminated");
            });
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() => Receive<Terminated>(t => probe.Tell(t)));
            });
        }

        public IStash Stash { get; set; } = null!;
    }
}
