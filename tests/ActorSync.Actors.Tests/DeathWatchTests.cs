using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class DeathWatchTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public void Item33_watch_gives_exactly_one_Terminated_also_for_an_already_dead_target()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");
        Sys.Stop(target);
        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Watching it again, now that it is dead, still gives one Terminated.
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");
        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item34_every_watcher_gets_its_own_Terminated_and_a_restart_is_not_a_termination()
    {
        var target = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("PreStart");
        var probes = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        foreach (var probe in probes)
        {
            probe.Watch(target);
        }

        // Make sure the watches are registered before the restart (a ping through each probe's actor would do too).
        target.Tell("ping");
        ExpectMsg("pong");
        target.Tell(new TestException("restart"));
        FishForMessage(m => "PreStart".Equals(m));
        foreach (var probe in probes)
        {
            probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        }

        Sys.Stop(target);
        foreach (var probe in probes)
        {
            probe.ExpectTerminated(target);
            probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        }
    }

    [Fact]
    public void Item35_unwatch_stops_delivery_including_a_Terminated_already_queued()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");

        // The watcher blocks, the target dies (its Terminated queues behind the block), then the watcher unwatches.
        watcher.Tell("block");
        ExpectMsg("blocked");
        Sys.Stop(target);
        AwaitCondition(() => ((Internal.IInternalActorRef)target).IsTerminated);
        watcher.Tell(new UnwatchIt(target));
        Watcher.Gate.Set();
        ExpectMsg("unwatched");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // An actor that never watched gets nothing.
        var other = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var bystander = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        Sys.Stop(other);
        bystander.Tell("ping");
        ExpectMsg("pong");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item36_watch_with_delivers_the_custom_message_instead_of_Terminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(new WatchWithIt(target, "target is gone"));
        ExpectMsg("watching");
        Sys.Stop(target);
        ExpectMsg("target is gone");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Item37_a_watcher_that_does_not_handle_Terminated_fails_with_DeathPactException_and_is_stopped()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var strategy = new OneForOneStrategy(e =>
        {
            TestActor.Tell(e);
            return SupervisorStrategy.DefaultDecider.Decide(e);
        });
        var parent = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        parent.Tell(Props.Create(() => new IgnorantWatcher(target)));
        var ignorant = ExpectMsg<IActorRef>();
        Watch(ignorant);
        ignorant.Tell("ping");
        ExpectMsg("pong");
        Sys.Stop(target);
        var pact = ExpectMsg<DeathPactException>();
        Assert.Equal(target, pact.DeadActor);
        ExpectTerminated(ignorant);
    }

    [Fact]
    public void Item38_after_the_parent_processes_Terminated_the_child_is_gone_and_its_name_can_be_reused()
    {
        var parent = Sys.ActorOf(Props.Create(() => new NameReuseParent(TestActor)));
        parent.Tell("create");
        var first = ExpectMsg<IActorRef>();
        parent.Tell("stop and recreate at once");
        ExpectMsg<InvalidActorNameException>();
        var terminated = ExpectMsg<Terminated>();
        Assert.Equal(first, terminated.ActorRef);
        ExpectMsg(0);
        var second = ExpectMsg<IActorRef>();
        Assert.Equal(first.Path, second.Path);
        Assert.NotEqual(first, second);
        Watch(second);
        Sys.Stop(second);
        ExpectTerminated(second);
    }

    [Fact]
    public async Task Item38_watch_async_completes_true_on_termination_also_when_already_dead_and_false_when_cancelled()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watching = target.WatchAsync();
        Assert.False(watching.IsCompleted);
        Sys.Stop(target);
        Assert.True(await watching.WaitAsync(Dilated(TimeSpan.FromSeconds(3))));
        Assert.True(await target.WatchAsync().WaitAsync(Dilated(TimeSpan.FromSeconds(3))));

        var alive = Sys.ActorOf(Props.Create(() => new EchoActor()));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.False(await alive.WatchAsync(cancellation.Token).WaitAsync(Dilated(TimeSpan.FromSeconds(3))));
    }

    private sealed record WatchIt(IActorRef Target);

    private sealed record WatchWithIt(IActorRef Target, object Message);

    private sealed record UnwatchIt(IActorRef Target);

    private sealed class Watcher : ReceiveActor
    {
        public static readonly ManualResetEventSlim Gate = new(false);

        public Watcher(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                Context.Watch(w.Target);
                probe.Tell("watching");
            });
            Receive<WatchWithIt>(w =>
            {
                Context.WatchWith(w.Target, w.Message);
                probe.Tell("watching");
            });
            Receive<UnwatchIt>(u =>
            {
                Context.Unwatch(u.Target);
                probe.Tell("unwatched");
            });
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked");
                Gate.Wait(TimeSpan.FromSeconds(10));
            });
            Receive<string>(s => s == "ping", _ => probe.Tell("pong"));
            ReceiveAny(m => probe.Tell(m));
        }
    }

    private sealed class IgnorantWatcher : ReceiveActor
    {
        public IgnorantWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => Sender.Tell("pong"));
        }
    }

    private sealed class NameReuseParent : ReceiveActor
    {
        public NameReuseParent(IActorRef probe)
        {
            Receive<string>(s => s == "create", _ => probe.Tell(Context.Watch(Context.ActorOf(Props.Create(() => new EchoActor()), "child"))));
            Receive<string>(s => s == "stop and recreate at once", _ =>
            {
                Context.Stop(Context.Child("child"));
                try
                {
                    Context.ActorOf(Props.Create(() => new EchoActor()), "child");
                }
                catch (InvalidActorNameException e)
                {
                    probe.Tell(e);
                }
            });
            Receive<Terminated>(t =>
            {
                probe.Tell(t);
                probe.Tell(Context.GetChildren().Count());
                probe.Tell(Context.ActorOf(Props.Create(() => new EchoActor()), "child"));
            });
        }
    }
}
