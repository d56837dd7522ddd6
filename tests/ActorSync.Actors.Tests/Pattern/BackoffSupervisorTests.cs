using ActorSync.Actors.Event;
using ActorSync.Actors.Pattern;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests.Pattern;

public sealed class BackoffSupervisorTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    [Fact]
    public void Item51_delay_is_min_of_max_and_exponential_times_jitter_capped_before_jitter_and_max_on_overflow()
    {
        var min = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(10);
        Assert.Equal(TimeSpan.FromMilliseconds(100), BackoffSupervisor.CalculateDelay(0, min, max, 0.0, 0.7));
        Assert.Equal(TimeSpan.FromMilliseconds(200), BackoffSupervisor.CalculateDelay(1, min, max, 0.0, 0.7));
        Assert.Equal(TimeSpan.FromMilliseconds(800), BackoffSupervisor.CalculateDelay(3, min, max, 0.0, 0.7));
        Assert.Equal(max, BackoffSupervisor.CalculateDelay(10, min, max, 0.0, 0.7));

        // Jitter adds up to randomFactor, after the cap: a delay may exceed maxBackoff.
        Assert.Equal(TimeSpan.FromMilliseconds(110), BackoffSupervisor.CalculateDelay(0, min, max, 0.2, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(12), BackoffSupervisor.CalculateDelay(20, min, max, 0.2, 1.0));
        for (var i = 0; i < 100; i++)
        {
            var delay = BackoffSupervisor.CalculateDelay(2, min, max, 0.2);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(480));
        }

        // Overflow: the delay is maxBackoff.
        Assert.Equal(TimeSpan.MaxValue, BackoffSupervisor.CalculateDelay(100, min, TimeSpan.MaxValue, 0.5, 0.9));
        Assert.Equal(max, BackoffSupervisor.CalculateDelay(int.MaxValue, min, max, 0.0, 0.0));
    }

    [Fact]
    public void Item52_on_stop_recreates_the_child_with_the_same_name_whenever_it_stops()
    {
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(Backoff.OnStop(ChildProps(), "child", Min, Max, 0.0)));
        var first = ExpectMsg<Started>().Child;
        first.Tell("stop");
        var second = ExpectMsg<Started>().Child;
        Assert.Equal(first.Path, second.Path);
        Assert.NotEqual(first, second);
        second.Tell(PoisonPill.Instance);
        ExpectMsg<Started>();
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance);
        Assert.InRange(ExpectMsg<BackoffSupervisor.RestartCount>().Count, 0, 2);
    }

    [Fact]
    public void Item52_on_failure_restarts_after_a_backoff_and_a_stop_directive_stops_the_supervisor()
    {
        var supervisor = Sys.ActorOf(Backoff.OnFailure(ChildProps(), "child", Min, Max, 0.0).Props);
        Watch(supervisor);
        var first = ExpectMsg<Started>().Child;
        first.Tell("fail");
        var second = ExpectMsg<Started>().Child;
        Assert.NotEqual(first, second);

        // Kill maps to Stop under the default decider: the child ends, and so does the supervisor.
        second.Tell(Kill.Instance);
        ExpectTerminated(supervisor);
    }

    [Fact]
    public void Item53_messages_are_forwarded_with_their_sender_child_messages_go_to_the_parent_and_down_time_is_dead_letters_or_a_reply()
    {
        var supervisor = ChildActorOf(BackoffSupervisor.Props(Backoff.OnStop(ChildProps(), "child", TimeSpan.FromSeconds(1), Max, 0.0)));
        var child = ExpectMsg<Started>().Child;
        var probe = CreateTestProbe();
        supervisor.Tell("echo", probe.Ref);
        probe.ExpectMsg("echo");
        Assert.Equal(child, probe.LastSender);

        supervisor.Tell("to-parent");
        ExpectMsg("from child");
        Assert.Equal(child, LastSender);

        Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        child.Tell("stop");
        AwaitAssert(() =>
        {
            supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, probe.Ref);
            Assert.Null(probe.ExpectMsg<BackoffSupervisor.CurrentChild>().Ref);
        });
        supervisor.Tell("while down", probe.Ref);
        probe.FishForMessage<DeadLetter>(d => d.Message.Equals("while down"));

        var replying = ChildActorOf(Backoff.OnStop(ChildProps(), "child", TimeSpan.FromSeconds(1), Max, 0.0)
            .WithReplyWhileStopped("child is down").Props);
        ExpectMsg<Started>().Child.Tell("stop");
        var replier = CreateTestProbe();
        AwaitAssert(() =>
        {
            replying.Tell("anyone there?", replier.Ref);
            replier.ExpectMsg("child is down", TimeSpan.FromMilliseconds(100));
        });
    }

    [Fact]
    public void Item54_auto_reset_after_the_window_manual_reset_on_request_and_the_query_messages()
    {
        var auto = Sys.ActorOf(Backoff.OnStop(ChildProps(), "child", Min, Max, 0.0).WithAutoReset(TimeSpan.FromMilliseconds(200)).Props);
        ExpectMsg<Started>().Child.Tell("stop");
        var restarted = ExpectMsg<Started>().Child;
        auto.Tell(BackoffSupervisor.GetCurrentChild.Instance);
        Assert.Equal(restarted, ExpectMsg<BackoffSupervisor.CurrentChild>().Ref);
        AwaitAssert(() =>
        {
            auto.Tell(BackoffSupervisor.GetRestartCount.Instance);
            Assert.Equal(0, ExpectMsg<BackoffSupervisor.RestartCount>().Count);
        }, Dilated(TimeSpan.FromSeconds(3)));

        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        auto.Tell(BackoffSupervisor.Reset.Instance);
        Assert.IsType<BackoffSupervisor.Reset>(ExpectMsg<UnhandledMessage>().Message);
        Sys.EventStream.Unsubscribe(TestActor);

        var manual = Sys.ActorOf(Backoff.OnStop(ChildProps(), "child", Min, Max, 0.0).WithManualReset().Props);
        ExpectMsg<Started>().Child.Tell("stop");
        ExpectMsg<Started>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        manual.Tell(BackoffSupervisor.GetRestartCount.Instance);
        Assert.Equal(1, ExpectMsg<BackoffSupervisor.RestartCount>().Count);
        manual.Tell(BackoffSupervisor.Reset.Instance);
        manual.Tell(BackoffSupervisor.GetRestartCount.Instance);
        Assert.Equal(0, ExpectMsg<BackoffSupervisor.RestartCount>().Count);
    }

    [Fact]
    public void Item55_the_retry_limit_and_final_stop_message_end_the_cycle_and_on_failure_respects_the_window()
    {
        var limited = Sys.ActorOf(Backoff.OnStop(ChildProps(), "child", Min, Max, 0.0, maxNrOfRetries: 2).WithManualReset().Props);
        Watch(limited);
        ExpectMsg<Started>().Child.Tell("stop");
        ExpectMsg<Started>().Child.Tell("stop");
        ExpectMsg<Started>().Child.Tell("stop");
        ExpectTerminated(limited);

        var final = Sys.ActorOf(Backoff.OnStop(ChildProps(), "child", Min, Max, 0.0).WithFinalStopMessage(m => "final".Equals(m)).Props);
        Watch(final);
        ExpectMsg<Started>();
        final.Tell("final");
        ExpectTerminated(final);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var windowed = Sys.ActorOf(Backoff.OnFailure(ChildProps(), "child", Min, Max, 0.0)
            .WithSupervisorStrategy(new OneForOneStrategy(1, TimeSpan.FromSeconds(5), _ => Directive.Restart))
            .WithManualReset().Props);
        Watch(windowed);
        ExpectMsg<Started>().Child.Tell("fail");
        ExpectMsg<Started>().Child.Tell("fail");
        ExpectTerminated(windowed);
    }

    [Fact]
    public void Item56_a_custom_strategy_decides_per_exception()
    {
        var strategy = new OneForOneStrategy(e => e is ArgumentException ? Directive.Stop : Directive.Restart);
        var supervisor = Sys.ActorOf(Backoff.OnFailure(ChildProps(), "child", Min, Max, 0.0).WithSupervisorStrategy(strategy).Props);
        Watch(supervisor);
        ExpectMsg<Started>().Child.Tell("fail");
        var second = ExpectMsg<Started>().Child;
        second.Tell("arg");
        ExpectTerminated(supervisor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private Props ChildProps()
    {
        var probe = TestActor;
        return Props.Create(() => new BackoffChild(probe));
    }

    private sealed record Started(IActorRef Child);

    private sealed class BackoffChild : ReceiveActor
    {
        private readonly IActorRef _probe;

        public BackoffChild(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(s => s is "stop" or "final", _ => Context.Stop(Self));
            Receive<string>(s => s == "fail", _ => throw new TestException("fail"));
            Receive<string>(s => s == "arg", _ => throw new ArgumentException("arg"));
            Receive<string>(s => s == "to-parent", _ => Context.Parent.Tell("from child"));
            Receive<string>(s => Sender.Tell(s));
        }

        protected override void PreStart() => _probe.Tell(new Started(Self));
    }
}
