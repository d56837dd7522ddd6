using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class TimerTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item39_single_timer_delivers_once_periodic_repeats_until_cancelled_and_is_timer_active_reports_pending()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("single", "tick", TimeSpan.FromMilliseconds(100)));
        ExpectMsg(true);
        ExpectMsg("tick");
        actor.Tell(new IsActive("single"));
        ExpectMsg(false);
        ExpectNoMsg(TimeSpan.FromMilliseconds(250));

        actor.Tell(new StartPeriodic("periodic", "beat", TimeSpan.FromMilliseconds(50)));
        ExpectMsg(true);
        ExpectMsg("beat");
        ExpectMsg("beat");
        ExpectMsg("beat");
        actor.Tell(new CancelTimer("periodic"));
        FishForMessage(m => "cancelled".Equals(m));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item40_restarting_a_key_replaces_the_timer_and_drops_the_old_message_already_queued()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));

        // Within one handler: start a timer, wait until its message is surely queued, then reuse the key.
        actor.Tell(new Scenario(
            timers => timers.StartSingleTimer("key", "old", TimeSpan.FromMilliseconds(1)),
            TimeSpan.FromMilliseconds(150),
            timers => timers.StartSingleTimer("key", "new", TimeSpan.FromMilliseconds(100))));
        ExpectMsg("scenario done");
        ExpectMsg("new");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item41_cancel_and_cancel_all_drop_deliveries_already_queued()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new Scenario(
            timers =>
            {
                timers.StartSingleTimer("a", "from a", TimeSpan.FromMilliseconds(1));
                timers.StartSingleTimer("b", "from b", TimeSpan.FromMilliseconds(1));
            },
            TimeSpan.FromMilliseconds(150),
            timers => timers.Cancel("a")));
        ExpectMsg("scenario done");
        ExpectMsg("from b");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        actor.Tell(new Scenario(
            timers =>
            {
                timers.StartSingleTimer("c", "from c", TimeSpan.FromMilliseconds(1));
                timers.StartPeriodicTimer("d", "from d", TimeSpan.FromMilliseconds(1));
            },
            TimeSpan.FromMilliseconds(150),
            timers => timers.CancelAll()));
        ExpectMsg("scenario done");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        actor.Tell(new IsActive("d"));
        ExpectMsg(false);
    }

    [Fact]
    public void Item42_timers_are_cancelled_on_stop_and_on_restart_and_timers_started_in_hooks_work()
    {
        var actor = Sys.ActorOf(Props.Create(() => new HookTimers(TestActor)));
        ExpectMsg("started in PreStart");
        actor.Tell(new StartPeriodic("periodic", "old incarnation", TimeSpan.FromMilliseconds(5)));
        ExpectMsg(true);
        ExpectMsg("old incarnation");

        // Fails after the periodic timer has surely queued more messages: none of them may reach the new instance.
        actor.Tell(new Scenario(_ => { }, TimeSpan.FromMilliseconds(100), _ => throw new InvalidOperationException("restart")));
        FishForMessage(m => "started in PostRestart".Equals(m));
        var afterRestart = ReceiveWhile<object>(m => m, TimeSpan.FromMilliseconds(300));
        Assert.DoesNotContain("old incarnation", afterRestart);

        Watch(actor);
        actor.Tell(new StartPeriodic("periodic", "before stop", TimeSpan.FromMilliseconds(30)));
        FishForMessage(m => "before stop".Equals(m));
        Sys.Stop(actor);
        FishForMessage(m => m is bool active && !active, hint: "IsTimerActive in PostStop");
        FishForMessage(m => m is Terminated);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item43_receive_timeout_repeats_while_idle_is_reset_by_ordinary_messages_and_can_be_turned_off()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ReceiveTimeoutActor(TestActor, TimeSpan.FromMilliseconds(500))));
        ExpectMsg<ReceiveTimeout>();
        ExpectMsg<ReceiveTimeout>();

        // Ordinary messages every ~50 ms for longer than the timeout keep it from firing.
        for (var i = 0; i < 15; i++)
        {
            actor.Tell("keep alive");
            ExpectMsg("keep alive");
            ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        }

        // Messages marked INotInfluenceReceiveTimeout do not.
        for (var i = 0; i < 3; i++)
        {
            actor.Tell(new Silent());
            ExpectMsg<Silent>();
        }

        FishForMessage(m => m is ReceiveTimeout);
        actor.Tell("off");
        ExpectMsg("off");
        IgnoreMessages<ReceiveTimeout>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        IgnoreNoMessages();
        ExpectNoMsg(TimeSpan.FromMilliseconds(400));

        actor.Tell("on");
        ExpectMsg("on");
        ExpectMsg<ReceiveTimeout>();
        Watch(actor);
        Sys.Stop(actor);
        FishForMessage(m => m is Terminated);
        ExpectNoMsg(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void Item44_scheduler_delivers_with_the_given_sender_and_cancelling_stops_deliveries()
    {
        var probe = CreateTestProbe();
        Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromMilliseconds(50), TestActor, "once", probe.Ref);
        ExpectMsg("once");
        Assert.Equal(probe.Ref, LastSender);

        var cancelledOnce = Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromMilliseconds(200), TestActor, "never", probe.Ref);
        cancelledOnce.Cancel();
        ExpectNoMsg(TimeSpan.FromMilliseconds(400));

        var repeated = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(
            TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TestActor, "again", probe.Ref);
        ExpectMsg("again");
        ExpectMsg("again");
        ExpectMsg("again");
        repeated.Cancel();
        IgnoreMessages(m => "again".Equals(m));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        IgnoreNoMessages();
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // The overload taking a cancelable.
        using var external = new Cancelable(Sys.Scheduler);
        Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TestActor, "external", null, external);
        ExpectMsg("external");
        external.Cancel();
        IgnoreMessages(m => "external".Equals(m));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        IgnoreNoMessages();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Item44_repeated_deliveries_keep_to_the_interval_and_stop_when_the_system_shuts_down()
    {
        var system = ActorSystem.Create("scheduler");
        var probe = new TestKit.TestProbe(system);
        var started = system.Scheduler.MonotonicClock;
        system.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), probe.Ref, "tick", null);
        var ticks = probe.ReceiveWhile<string>(m => m as string, msgs: 5);
        Assert.Equal(5, ticks.Count);

        // Five deliveries at a 100 ms interval cannot have come faster than the interval allows.
        Assert.True(system.Scheduler.MonotonicClock - started >= TimeSpan.FromMilliseconds(450));
        var counter = new StrongBoxCounter();
        system.Scheduler.ScheduleRepeatedly(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), counter.Increment);
        await system.Terminate();
        var afterShutdown = counter.Value;
        await Task.Delay(100);
        Assert.Equal(afterShutdown, counter.Value);
    }

    private sealed class StrongBoxCounter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    private sealed record StartSingle(string Key, object Message, TimeSpan Delay);

    private sealed record StartPeriodic(string Key, object Message, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed record IsActive(string Key);

    private sealed record Scenario(Action<ITimerScheduler> Before, TimeSpan Sleep, Action<ITimerScheduler> After);

    private sealed class Silent : INotInfluenceReceiveTimeout;

    private class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef probe)
        {
            Receive<StartSingle>(s =>
            {
                Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                probe.Tell(Timers.IsTimerActive(s.Key));
            });
            Receive<StartPeriodic>(s =>
            {
                Timers.StartPeriodicTimer(s.Key, s.Message, s.Interval);
                probe.Tell(Timers.IsTimerActive(s.Key));
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                probe.Tell("cancelled");
            });
            Receive<IsActive>(a => probe.Tell(Timers.IsTimerActive(a.Key)));
            Receive<Scenario>(s =>
            {
                s.Before(Timers);
                Thread.Sleep(s.Sleep);
                s.After(Timers);
                probe.Tell("scenario done");
            });
            Receive<Exception>(e => throw e);
            ReceiveAny(m => probe.Tell(m));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private sealed class HookTimers : TimerActor
    {
        private readonly IActorRef _probe;

        public HookTimers(IActorRef probe)
            : base(probe)
        {
            _probe = probe;
        }

        protected override void PreStart() => Timers.StartSingleTimer("hook", "started in PreStart", TimeSpan.FromMilliseconds(10));

        protected override void PostRestart(Exception reason) =>
            Timers.StartSingleTimer("hook", "started in PostRestart", TimeSpan.FromMilliseconds(10));

        protected override void PostStop() => _probe.Tell(Timers.IsTimerActive("periodic"));
    }

    private sealed class ReceiveTimeoutActor : ReceiveActor
    {
        public ReceiveTimeoutActor(IActorRef probe, TimeSpan timeout)
        {
            Context.SetReceiveTimeout(timeout);
            Receive<string>(s => s == "off", s =>
            {
                Context.SetReceiveTimeout(null);
                probe.Tell(s);
            });
            Receive<string>(s => s == "on", s =>
            {
                Context.SetReceiveTimeout(timeout);
                probe.Tell(s);
            });
            ReceiveAny(m => probe.Tell(m));
        }
    }
}
