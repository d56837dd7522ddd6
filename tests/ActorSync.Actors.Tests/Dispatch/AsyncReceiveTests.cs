using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests.Dispatch;

public sealed class AsyncReceiveTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item57_while_an_async_handler_is_pending_no_other_message_runs_even_one_sent_to_self_before_awaiting()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SuspendingActor(TestActor)));
        actor.Tell("start");
        actor.Tell("other from outside");
        ExpectMsg(1);
        ExpectMsg("async done");
        ExpectMsgAllOf("other from self", "other from outside");
    }

    [Fact]
    public void Item58_after_await_self_sender_context_and_message_are_those_of_the_message_and_continuations_never_overlap()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ContextCheckingActor()));
        var probes = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToList();
        for (var round = 0; round < 5; round++)
        {
            foreach (var probe in probes)
            {
                actor.Tell($"{probe.Ref.Path.Name}-{round}", probe.Ref);
            }
        }

        foreach (var probe in probes)
        {
            for (var round = 0; round < 5; round++)
            {
                probe.ExpectMsg($"ok {probe.Ref.Path.Name}-{round}");
            }
        }

        actor.Tell("overlaps?");
        ExpectMsg(0);
    }

    [Fact]
    public void Item59_an_exception_after_await_goes_to_the_supervisor_with_the_original_message_and_a_caught_one_does_not()
    {
        var actor = Sys.ActorOf(Props.Create(() => new FailingAsyncActor(TestActor)));
        actor.Tell("caught");
        ExpectMsg("caught");
        actor.Tell("fail");
        ExpectMsg(("PreRestart", (object?)"fail"));
        ExpectMsg("PostRestart");
        actor.Tell("caught");
        ExpectMsg("caught");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Item60_awaiting_asks_inside_a_handler_does_not_deadlock()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var relay = Sys.ActorOf(Props.Create(() => new RelayToEcho(echo)));
        var asker = Sys.ActorOf(Props.Create(() => new AskingActor(echo, relay)));
        asker.Tell("go");
        ExpectMsg("direct: hello");
        ExpectMsg("through relay: hello again");
    }

    [Fact]
    public void Item60_receive_timeout_fires_after_an_async_handler_finishes()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SlowAsyncWithTimeout(TestActor)));
        IgnoreMessages<ReceiveTimeout>();
        actor.Tell("slow");
        ExpectMsg("slow done");
        IgnoreNoMessages();
        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void Item60_a_task_piped_from_inside_an_async_handler_is_delivered_while_the_handler_still_awaits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new PipingActor(TestActor, release.Task)));
        actor.Tell("go");
        ExpectMsg("piped");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        release.SetResult();
        ExpectMsg("handler done");
    }

    private sealed class SuspendingActor : ReceiveActor
    {
        private int _state;

        public SuspendingActor(IActorRef probe)
        {
            ReceiveAsync<string>(s => s == "start", async _ =>
            {
                Self.Tell("other from self");
                _state = 1;
                await Task.Delay(100);
                await Task.Yield();
                probe.Tell(_state);
                probe.Tell("async done");
            });
            Receive<string>(s =>
            {
                _state = 2;
                probe.Tell(s);
            });
        }
    }

    private sealed class ContextCheckingActor : ReceiveActor
    {
        private int _active;
        private int _overlaps;

        public ContextCheckingActor()
        {
            Receive<string>(s => s == "overlaps?", _ => Sender.Tell(_overlaps));
            ReceiveAsync<string>(async message =>
            {
                var sender = Sender;
                var self = Self;
                Enter();
                await Task.Delay(Random.Shared.Next(1, 5));
                Leave();
                await Task.Yield();
                Enter();
                var consistent = Sender.Equals(sender) && Context.Sender.Equals(sender) && Context.Self.Equals(self) && Self.Equals(self);
                Leave();
                sender.Tell(consistent ? "ok " + message : "inconsistent " + message);
            });
        }

        private void Enter()
        {
            if (Interlocked.Increment(ref _active) != 1)
            {
                Interlocked.Increment(ref _overlaps);
            }
        }

        private void Leave() => Interlocked.Decrement(ref _active);
    }

    private sealed class FailingAsyncActor : ReceiveActor
    {
        private readonly IActorRef _probe;

        public FailingAsyncActor(IActorRef probe)
        {
            _probe = probe;
            ReceiveAsync<string>(s => s == "fail", async _ =>
            {
                await Task.Delay(10);
                throw new TestException("after await");
            });
            ReceiveAsync<string>(s => s == "caught", async _ =>
            {
                try
                {
                    await Task.Delay(10);
                    throw new TestException("caught inside");
                }
                catch (TestException)
                {
                    probe.Tell("caught");
                }
            });
        }

        protected override void PreRestart(Exception reason, object? message) => _probe.Tell(("PreRestart", message));

        protected override void PostRestart(Exception reason) => _probe.Tell("PostRestart");
    }

    private sealed class RelayToEcho : ReceiveActor
    {
        public RelayToEcho(IActorRef echo) => ReceiveAny(m => echo.Forward(m));
    }

    private sealed class AskingActor : ReceiveActor
    {
        public AskingActor(IActorRef echo, IActorRef relay)
        {
            ReceiveAsync<string>(async _ =>
            {
                var direct = await echo.Ask<string>("hello", TimeSpan.FromSeconds(5));
                Sender.Tell("direct: " + direct);
                var relayed = await relay.Ask<string>("hello again", TimeSpan.FromSeconds(5));
                Sender.Tell("through relay: " + relayed);
            });
        }
    }

    private sealed class SlowAsyncWithTimeout : ReceiveActor
    {
        public SlowAsyncWithTimeout(IActorRef probe)
        {
            ReceiveAsync<string>(async _ =>
            {
                Context.SetReceiveTimeout(TimeSpan.FromMilliseconds(100));
                await Task.Delay(300);
                probe.Tell("slow done");
            });
            Receive<ReceiveTimeout>(t => probe.Tell(t));
        }
    }

    private sealed class PipingActor : ReceiveActor
    {
        public PipingActor(IActorRef probe, Task release)
        {
            ReceiveAsync<string>(async message =>
            {
                _ = Task.Delay(20).ContinueWith(_ => "piped", TaskScheduler.Default).PipeTo(probe);
                await release;
                probe.Tell("handler done");
            });
        }
    }
}
