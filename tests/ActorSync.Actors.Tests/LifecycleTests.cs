using ActorSync.Actors.Event;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class LifecycleTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item14_actor_of_returns_at_once_pre_start_runs_once_before_queued_messages_and_post_restart_calls_pre_start()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        actor.Tell("first");
        actor.Tell("second");
        ExpectMsg("PreStart");
        ExpectMsg("first");
        ExpectMsg("second");

        actor.Tell(new TestException("restart me"));
        ExpectMsg("PreRestart");
        ExpectMsg("PostStop");
        ExpectMsg("PostRestart");
        ExpectMsg("PreStart");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Item15_restart_hooks_run_in_order_with_the_failing_message_and_its_sender()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new HookRecorder(TestActor)));
        ExpectMsg("ctor 1");
        var failure = new TestException("fail");
        actor.Tell(failure, probe.Ref);
        var preRestart = ExpectMsg<(string Hook, Exception Reason, object? Message, IActorRef Sender)>();
        Assert.Equal("PreRestart 1", preRestart.Hook);
        Assert.Same(failure, preRestart.Reason);
        Assert.Same(failure, preRestart.Message);
        Assert.Equal(probe.Ref, preRestart.Sender);
        ExpectMsg("ctor 2");
        var postRestart = ExpectMsg<(string Hook, Exception Reason)>();
        Assert.Equal("PostRestart 2", postRestart.Hook);
        Assert.Same(failure, postRestart.Reason);
    }

    [Fact]
    public void Item15_without_overridden_hooks_a_restart_is_post_stop_of_the_old_then_pre_start_of_the_new()
    {
        var actor = Sys.ActorOf(Props.Create(() => new PlainHooks(TestActor)));
        ExpectMsg("PreStart");
        actor.Tell(new TestException("restart"));
        ExpectMsg("PostStop");
        ExpectMsg("PreStart");
    }

    [Fact]
    public void Item16_an_actor_that_is_never_restarted_sees_no_restart_hooks_and_post_stop_exactly_once()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("PreStart");
        Watch(actor);
        Sys.Stop(actor);
        Sys.Stop(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectMsg("PostStop");
        ExpectTerminated(actor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item17_after_a_restart_the_actor_uses_its_initial_behaviour_again()
    {
        var actor = Sys.ActorOf(Props.Create(() => new BecomingActor()));
        actor.Tell("become");
        actor.Tell("which");
        ExpectMsg("second");
        actor.Tell("stack");
        actor.Tell("which");
        ExpectMsg("third");
        actor.Tell(new TestException("restart"));
        actor.Tell("which");
        ExpectMsg("initial");
    }

    [Fact]
    public void Item18_an_actor_stops_its_children_first_and_their_post_stop_finishes_before_its_own()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var parent = Sys.ActorOf(Props.Create(() => new ParentWithChildren(TestActor)), "parent");
        ExpectMsgAllOf("PreStart-parent", "PreStart-child1", "PreStart-child2");
        Watch(parent);
        parent.Tell("block");
        ExpectMsg("blocking");
        parent.Tell("queued behind stop");
        Sys.Stop(parent);
        ParentWithChildren.Gate.Set();

        var order = ReceiveWhile<string>(m => m as string, msgs: 3);
        Assert.Equal(3, order.Count);
        Assert.Equal("PostStop-parent", order[2]);
        Assert.Equal(["PostStop-child1", "PostStop-child2"], order.Take(2).Order());

        // Left in the mailbox: a dead letter. Then the watcher hears of it.
        ExpectMsg<DeadLetter>(d => d.Message.Equals("queued behind stop"));
        ExpectTerminated(parent);
    }

    [Fact]
    public void Item19_poison_pill_is_queued_behind_earlier_messages_and_kill_fails_the_actor_which_the_default_strategy_stops()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("PreStart");
        actor.Tell("one");
        actor.Tell(PoisonPill.Instance);
        actor.Tell("after pill");
        ExpectMsg("one");
        ExpectMsg("PostStop");
        ExpectMsg<DeadLetter>(d => d.Message.Equals("after pill"));

        var probe = CreateTestProbe();
        var killed = Sys.ActorOf(Props.Create(() => new LifecycleActor(probe.Ref, "")));
        probe.ExpectMsg("PreStart");
        Watch(killed);
        killed.Tell(Kill.Instance);
        probe.ExpectMsg("PostStop");
        ExpectTerminated(killed);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Item19_kill_goes_to_the_supervisor_as_ActorKilledException()
    {
        var strategy = new OneForOneStrategy(e =>
        {
            TestActor.Tell(e.GetType());
            return Directive.Resume;
        });
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(Props.Create(() => new EchoActor()));
        var child = ExpectMsg<IActorRef>();
        child.Tell(Kill.Instance);
        ExpectMsg(typeof(ActorKilledException));
        child.Tell("still there");
        ExpectMsg("still there");
    }

    [Fact]
    public void Item20_an_exception_in_post_stop_is_logged_and_does_not_block_termination()
    {
        var logs = new CollectingLoggerProvider();
        using var system = ActorSystem.Create("poststop", ActorSystemSettings.Default with { LoggerFactory = logs.Factory });
        var probe = new TestKit.TestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new ThrowingPostStop()), "thrower");
        probe.Watch(actor);
        system.Stop(actor);
        probe.ExpectTerminated(actor);
        probe.AwaitCondition(() => logs.Entries.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Exception is TestException));
    }

    private sealed class HookRecorder : ReceiveActor
    {
        private static int _instances;
        private readonly IActorRef _probe;
        private readonly int _instance;

        public HookRecorder(IActorRef probe)
        {
            _probe = probe;
            _instance = Interlocked.Increment(ref _instances) == 1 ? 1 : 2;
            probe.Tell("ctor " + _instance);
            Receive<Exception>(e => throw e);
        }

        protected override void PreRestart(Exception reason, object? message) =>
            _probe.Tell(("PreRestart " + _instance, reason, message, Sender));

        protected override void PostRestart(Exception reason) => _probe.Tell(("PostRestart " + _instance, reason));
    }

    private sealed class PlainHooks : ReceiveActor
    {
        private readonly IActorRef _probe;

        public PlainHooks(IActorRef probe)
        {
            _probe = probe;
            Receive<Exception>(e => throw e);
        }

        protected override void PreStart() => _probe.Tell("PreStart");

        protected override void PostStop() => _probe.Tell("PostStop");
    }

    private sealed class BecomingActor : ReceiveActor
    {
        public BecomingActor()
        {
            Receive<Exception>(e => throw e);
            Receive<string>(s => s == "become", _ => Become(Second));
            Receive<string>(s => Sender.Tell("initial"));
        }

        private void Second()
        {
            Receive<Exception>(e => throw e);
            Receive<string>(s => s == "stack", _ => BecomeStacked(Third));
            Receive<string>(_ => Sender.Tell("second"));
        }

        private void Third()
        {
            Receive<Exception>(e => throw e);
            Receive<string>(_ => Sender.Tell("third"));
        }
    }

    private sealed class ParentWithChildren : ReceiveActor
    {
        public static readonly ManualResetEventSlim Gate = new(false);
        private readonly IActorRef _probe;

        public ParentWithChildren(IActorRef probe)
        {
            _probe = probe;
            Context.ActorOf(Props.Create(() => new NamedHooks(probe, "child1")), "child1");
            Context.ActorOf(Props.Create(() => new NamedHooks(probe, "child2")), "child2");
            Receive<string>(s => s == "block", _ =>
            {
                Sender.Tell("blocking");
                Gate.Wait(TimeSpan.FromSeconds(10));
            });
        }

        protected override void PreStart() => _probe.Tell("PreStart-parent");

        protected override void PostStop() => _probe.Tell("PostStop-parent");
    }

    private sealed class NamedHooks : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly string _name;

        public NamedHooks(IActorRef probe, string name)
        {
            _probe = probe;
            _name = name;
        }

        protected override void PreStart() => _probe.Tell("PreStart-" + _name);

        protected override void PostStop()
        {
            // Slow children: the parent's PostStop must still come after theirs.
            Thread.Sleep(50);
            _probe.Tell("PostStop-" + _name);
        }
    }

    private sealed class ThrowingPostStop : ReceiveActor
    {
        protected override void PostStop() => throw new TestException("PostStop failed");
    }
}
