using System.Runtime.CompilerServices;
using ActorSync.Actors.Event;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class SupervisionTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    private static readonly OneForOneStrategy RestartAll = new(_ => Directive.Restart);

    [Fact]
    public void Item21_one_for_one_restart_keeps_the_mailbox_and_the_ref_and_leaves_siblings_alone()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(RestartAll)));
        var siblingProbe = CreateTestProbe();
        supervisor.Tell((Props.Create(() => new LifecycleActor(TestActor, "A")), "a"));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStartA");
        supervisor.Tell((Props.Create(() => new LifecycleActor(siblingProbe.Ref, "B")), "b"));
        var sibling = ExpectMsg<IActorRef>();
        siblingProbe.ExpectMsg("PreStartB");

        child.Tell(new TestException("fail"));
        child.Tell("m1");
        child.Tell("m2");
        ExpectMsg("PreRestartA");
        ExpectMsg("PostStopA");
        ExpectMsg("PostRestartA");
        ExpectMsg("PreStartA");
        ExpectMsg("m1");
        Assert.Equal(child, LastSender);
        ExpectMsg("m2");

        sibling.Tell("ping", siblingProbe.Ref);
        siblingProbe.ExpectMsg("pongB");
        siblingProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Item22_resume_keeps_the_instance_and_state_drops_the_failing_message_and_resumes_grandchildren()
    {
        var resume = new OneForOneStrategy(_ => Directive.Resume);
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(resume)));
        supervisor.Tell(Props.Create(() => new CountingParent(TestActor)));
        var child = ExpectMsg<IActorRef>();
        child.Tell("inc");
        child.Tell("inc");
        child.Tell(new TestException("fail"));
        child.Tell("get");
        ExpectMsg(2);
        child.Tell("grandchild");
        var grandchild = ExpectMsg<IActorRef>();
        grandchild.Tell("ping");
        ExpectMsg("pong");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Item23_stop_ends_the_child_runs_post_stop_notifies_watchers_and_later_messages_are_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var stop = new OneForOneStrategy(_ => Directive.Stop);
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(stop)));
        supervisor.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        Watch(child);
        child.Tell(new TestException("fail"));
        ExpectMsg("PostStop");
        ExpectTerminated(child);
        child.Tell("later");
        ExpectMsg<DeadLetter>(d => d.Message.Equals("later") && d.Recipient.Equals(child));
    }

    [Fact]
    public void Item24_escalate_fails_the_supervisor_the_decider_sees_the_immediate_child_and_the_boss_restarts_the_manager()
    {
        var boss = Sys.ActorOf(Props.Create(() => new Boss(TestActor)), "boss");
        var manager = ExpectMsg<IActorRef>();
        var worker = ExpectMsg<IActorRef>();
        ExpectMsg("PreStartW");

        worker.Tell(new TestException("worker failed"));
        var managerDecision = ExpectMsg<(string Who, IActorRef Sender, Exception Cause)>();
        Assert.Equal(("manager", worker), (managerDecision.Who, managerDecision.Sender));
        var bossDecision = ExpectMsg<(string Who, IActorRef Sender, Exception Cause)>();
        Assert.Equal(("boss", manager), (bossDecision.Who, bossDecision.Sender));
        Assert.Same(managerDecision.Cause, bossDecision.Cause);

        // Restarting the manager restarts its children: the old worker stops, the new instance creates a new one.
        ExpectMsg("PostStopW");
        var newWorker = ExpectMsg<IActorRef>();
        ExpectMsg("PreStartW");
        Assert.Equal(worker.Path, newWorker.Path);
        Assert.NotEqual(worker, newWorker);
        Assert.NotNull(boss);
    }

    [Fact]
    public void Item25_all_for_one_applies_restart_and_stop_to_every_child()
    {
        var strategy = new AllForOneStrategy(e => e is ArgumentException ? Directive.Stop : Directive.Restart);
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        var probeB = CreateTestProbe();
        supervisor.Tell((Props.Create(() => new LifecycleActor(TestActor, "A")), "a"));
        var a = ExpectMsg<IActorRef>();
        ExpectMsg("PreStartA");
        supervisor.Tell((Props.Create(() => new LifecycleActor(probeB.Ref, "B")), "b"));
        var b = ExpectMsg<IActorRef>();
        probeB.ExpectMsg("PreStartB");

        a.Tell(new TestException("restart all"));
        ExpectMsg("PreRestartA");
        ExpectMsg("PostStopA");
        ExpectMsg("PostRestartA");
        ExpectMsg("PreStartA");
        probeB.ExpectMsg("PreRestartB");
        probeB.ExpectMsg("PostStopB");
        probeB.ExpectMsg("PostRestartB");
        probeB.ExpectMsg("PreStartB");

        Watch(a);
        Watch(b);
        b.Tell(new ArgumentException("stop all"));

        // a and b stop concurrently: a's PostStop and the two Terminated may interleave in any order.
        var received = ReceiveN(3);
        Assert.Contains("PostStopA", received);
        var terminated = received.OfType<Terminated>().Select(t => t.ActorRef).ToList();
        Assert.Contains(a, terminated);
        Assert.Contains(b, terminated);
        probeB.ExpectMsg("PostStopB");
    }

    [Fact]
    public void Item26_retry_limit_three_restarts_then_the_fourth_failure_stops_the_child()
    {
        var strategy = new OneForOneStrategy(3, null, _ => Directive.Restart);
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        Watch(child);
        for (var i = 0; i < 3; i++)
        {
            child.Tell(Kill.Instance);
            ExpectMsg("PreRestart");
            ExpectMsg("PostStop");
            ExpectMsg("PostRestart");
            ExpectMsg("PreStart");
        }

        child.Tell(Kill.Instance);
        ExpectMsg("PostStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Item26_one_retry_within_five_seconds_stops_the_child_on_the_second_failure()
    {
        var strategy = new OneForOneStrategy(1, TimeSpan.FromSeconds(5), _ => Directive.Restart);
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        Watch(child);
        child.Tell(new TestException("1"));
        ExpectMsg("PreRestart");
        ExpectMsg("PostStop");
        ExpectMsg("PostRestart");
        ExpectMsg("PreStart");
        child.Tell(new TestException("2"));
        ExpectMsg("PostStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Item27_retry_parameters_null_or_minus_one_unlimited_zero_never_and_windows_in_whole_milliseconds()
    {
        Assert.Equal(-1, new OneForOneStrategy(null, null, _ => Directive.Restart).MaxNumberOfRetries);
        Assert.Equal(-1, new OneForOneStrategy(null, null, _ => Directive.Restart).WithinTimeRangeMilliseconds);
        Assert.Equal(-1, new OneForOneStrategy(3, Timeout.InfiniteTimeSpan, _ => Directive.Restart).WithinTimeRangeMilliseconds);
        Assert.Equal(1500, new OneForOneStrategy(3, TimeSpan.FromMilliseconds(1500.9), _ => Directive.Restart).WithinTimeRangeMilliseconds);

        var unlimitedStrategy = new OneForOneStrategy(-1, null, _ => Directive.Restart);
        var unlimited = Sys.ActorOf(Props.Create(() => new SupervisorActor(unlimitedStrategy)));
        unlimited.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        for (var i = 0; i < 10; i++)
        {
            child.Tell(new TestException("again"));
            FishForMessage(m => "PreStart".Equals(m));
        }

        var neverStrategy = new OneForOneStrategy(0, null, _ => Directive.Restart);
        var never = Sys.ActorOf(Props.Create(() => new SupervisorActor(neverStrategy)));
        never.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var once = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        Watch(once);
        once.Tell(new TestException("first"));
        ExpectMsg("PostStop");
        ExpectTerminated(once);
    }

    [Fact]
    public void Item27_failures_outside_the_window_do_not_count_toward_the_limit()
    {
        var strategy = new OneForOneStrategy(1, TimeSpan.FromMilliseconds(300), _ => Directive.Restart);
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        Watch(child);
        for (var i = 0; i < 3; i++)
        {
            child.Tell(new TestException("spaced"));
            FishForMessage(m => "PreStart".Equals(m));

            // Let the window pass (while asserting that nothing else happens).
            ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        }

        child.Tell("ping");
        ExpectMsg("pong");
    }

    [Fact]
    public void Item28_default_strategy_stops_on_initialization_kill_and_death_pact_and_restarts_on_anything_else()
    {
        var decider = SupervisorStrategy.DefaultDecider;
        Assert.Equal(Directive.Stop, decider.Decide(new ActorInitializationException("init")));
        Assert.Equal(Directive.Stop, decider.Decide(new ActorKilledException("kill")));
        Assert.Equal(Directive.Stop, decider.Decide(new DeathPactException("pact")));
        Assert.Equal(Directive.Restart, decider.Decide(new TestException("other")));
        Assert.Equal(Directive.Restart, decider.Decide(new InvalidOperationException("other")));
        var defaultStrategy = Assert.IsType<OneForOneStrategy>(SupervisorStrategy.DefaultStrategy);
        Assert.Equal(-1, defaultStrategy.MaxNumberOfRetries);

        // A parent that defines no strategy uses it.
        var parent = Sys.ActorOf(Props.Create(() => new SupervisorActor(SupervisorStrategy.DefaultStrategy)));
        parent.Tell(Props.Create(() => new LifecycleActor(TestActor, "")));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        child.Tell(new TestException("restart"));
        FishForMessage(m => "PreStart".Equals(m));
        Watch(child);
        child.Tell(Kill.Instance);
        FishForMessage(m => m is Terminated);
    }

    [Fact]
    public void Item29_a_failing_actor_and_its_descendants_process_no_user_messages_until_the_directive_arrives()
    {
        using var gate = new ManualResetEventSlim(false);
        var strategy = new OneForOneStrategy(_ =>
        {
            TestActor.Tell("deciding");
            gate.Wait(TimeSpan.FromSeconds(10));
            return Directive.Resume;
        });
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(Props.Create(() => new CountingParent(TestActor)));
        var child = ExpectMsg<IActorRef>();
        child.Tell("grandchild");
        var grandchild = ExpectMsg<IActorRef>();

        child.Tell(new TestException("fail"));
        ExpectMsg("deciding");
        child.Tell("get");
        grandchild.Tell("ping");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        gate.Set();
        ExpectMsgAllOf<object>(0, "pong");
    }

    [Fact]
    public void Item30_failure_during_creation_reports_ActorInitializationException_and_restart_creates_afresh_without_post_restart()
    {
        var decisions = CreateTestProbe();
        var strategy = new OneForOneStrategy(e =>
        {
            decisions.Ref.Tell(e.GetType());
            return Directive.Restart;
        });
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        var attempts = new StrongBox<int>(0);
        supervisor.Tell(Props.Create(() => new FailingConstructor(TestActor, attempts, 2)));
        ExpectMsg<IActorRef>().Tell("ping");
        decisions.ExpectMsg(typeof(ActorInitializationException));
        decisions.ExpectMsg(typeof(ActorInitializationException));
        ExpectMsg("PreStart");
        ExpectMsg("pong");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(3, attempts.Value);

        var resumeStrategy = new OneForOneStrategy(_ => Directive.Resume);
        var resuming = Sys.ActorOf(Props.Create(() => new SupervisorActor(resumeStrategy)));
        var secondAttempts = new StrongBox<int>(0);
        resuming.Tell(Props.Create(() => new FailingConstructor(TestActor, secondAttempts, 1)));
        ExpectMsg<IActorRef>().Tell("ping");
        ExpectMsg("PreStart");
        ExpectMsg("pong");
    }

    [Fact]
    public void Item31_children_kept_by_an_overridden_pre_restart_are_restarted_after_the_parents_post_restart()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(RestartAll)));
        supervisor.Tell(Props.Create(() => new KeepChildrenParent(TestActor)));
        var parent = ExpectMsg<IActorRef>();
        var kid = ExpectMsg<IActorRef>();
        ExpectMsg("PreStartK");

        parent.Tell(new TestException("parent fails"));
        ExpectMsg("PreRestartP");
        ExpectMsg("PostRestartP");
        ExpectMsg("PreRestartK");
        ExpectMsg("PostStopK");
        ExpectMsg("PostRestartK");
        ExpectMsg("PreStartK");
        kid.Tell("ping");
        ExpectMsg("pongK");

        // By default the children are stopped instead.
        supervisor.Tell(Props.Create(() => new LifecycleParent(TestActor)));
        var defaultParent = ExpectMsg<IActorRef>();
        ExpectMsg<IActorRef>();
        ExpectMsg("PreStartK");
        defaultParent.Tell(new TestException("fail"));
        ExpectMsg("PostStopK");
        ExpectMsg<IActorRef>();
        ExpectMsg("PreStartK");
    }

    [Fact]
    public async Task Item32_top_level_actors_use_the_guardian_strategy_and_an_escalating_guardian_terminates_the_system()
    {
        // Default guardian strategy: a failing top-level actor is restarted.
        var topLevel = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("PreStart");
        topLevel.Tell(new TestException("restart"));
        FishForMessage(m => "PreStart".Equals(m));

        var settings = ActorSystemSettings.Default with { GuardianSupervisorStrategy = new OneForOneStrategy(_ => Directive.Escalate) };
        using var system = ActorSystem.Create("escalating", settings);
        var probe = new TestKit.TestProbe(system);
        var failing = system.ActorOf(Props.Create(() => new LifecycleActor(probe.Ref, "")), "failing");
        probe.ExpectMsg("PreStart");
        failing.Tell(new TestException("fatal"));
        await system.WhenTerminated.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.True(system.TerminatedByFatalFailure);
    }

    private sealed class CountingParent : ReceiveActor
    {
        private int _count;

        public CountingParent(IActorRef probe)
        {
            var grandchild = Context.ActorOf(Props.Create(() => new EchoPong()), "grandchild");
            Receive<string>(s => s == "inc", _ => _count++);
            Receive<string>(s => s == "get", _ => probe.Tell(_count));
            Receive<string>(s => s == "grandchild", _ => Sender.Tell(grandchild));
            Receive<Exception>(e => throw e);
        }
    }

    private sealed class EchoPong : ReceiveActor
    {
        public EchoPong() => Receive<string>(s => s == "ping", _ => Sender.Tell("pong"));
    }

    private sealed class Boss : ReceiveActor
    {
        private readonly IActorRef _probe;

        public Boss(IActorRef probe)
        {
            _probe = probe;
            probe.Tell(Context.ActorOf(Props.Create(() => new Manager(probe)), "manager"));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
        {
            _probe.Tell(("boss", Sender, e));
            return Directive.Restart;
        });
    }

    private sealed class Manager : ReceiveActor
    {
        private readonly IActorRef _probe;

        public Manager(IActorRef probe)
        {
            _probe = probe;
            probe.Tell(Context.ActorOf(Props.Create(() => new LifecycleActor(probe, "W")), "worker"));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
        {
            _probe.Tell(("manager", Sender, e));
            return Directive.Escalate;
        });
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        private readonly IActorRef _probe;

        public FailingConstructor(IActorRef probe, StrongBox<int> attempts, int failures)
        {
            _probe = probe;
            if (++attempts.Value <= failures)
            {
                throw new TestException("constructor failed");
            }

            Receive<string>(s => s == "ping", _ => probe.Tell("pong"));
        }

        protected override void PreStart() => _probe.Tell("PreStart");

        protected override void PostRestart(Exception reason) => _probe.Tell("PostRestart");
    }

    private sealed class KeepChildrenParent : ReceiveActor
    {
        private readonly IActorRef _probe;

        public KeepChildrenParent(IActorRef probe)
        {
            _probe = probe;
            Receive<Exception>(e => throw e);
        }

        protected override void PreStart() => _probe.Tell(Context.ActorOf(Props.Create(() => new LifecycleActor(_probe, "K")), "kid"));

        protected override void PreRestart(Exception reason, object? message) => _probe.Tell("PreRestartP");

        protected override void PostRestart(Exception reason) => _probe.Tell("PostRestartP");
    }

    private sealed class LifecycleParent : ReceiveActor
    {
        public LifecycleParent(IActorRef probe)
        {
            probe.Tell(Context.ActorOf(Props.Create(() => new LifecycleActor(probe, "K")), "kid"));
            Receive<Exception>(e => throw e);
        }
    }
}
