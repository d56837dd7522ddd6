using System.Collections.Concurrent;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class ShutdownTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public async Task Item64_terminate_runs_coordinated_shutdown_once_in_phase_order_with_parallel_tasks_per_phase()
    {
        var system = ActorSystem.Create("phases");
        var shutdown = CoordinatedShutdown.Get(system);
        Assert.Equal(
            [
                "before-service-unbind", "service-unbind", "service-requests-done", "service-stop", "before-cluster-shutdown",
                "cluster-sharding-shutdown-region", "cluster-leave", "cluster-exiting", "cluster-exiting-done", "cluster-shutdown",
                "before-actor-system-terminate", "actor-system-terminate",
            ],
            shutdown.OrderedPhases);

        var log = new ConcurrentQueue<string>();
        var bothRunning = new Barrier(2);
        foreach (var phase in new[] { CoordinatedShutdown.PhaseBeforeActorSystemTerminate, CoordinatedShutdown.PhaseServiceStop, CoordinatedShutdown.PhaseBeforeServiceUnbind })
        {
            shutdown.AddTask(phase, "record", () =>
            {
                log.Enqueue(phase);
                return Task.FromResult(Done.Instance);
            });
        }

        // Two tasks of one phase run at the same time: each waits for the other at a barrier.
        for (var i = 0; i < 2; i++)
        {
            var name = "parallel " + i;
            shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, name, () => Task.Run(() =>
            {
                Assert.True(bothRunning.SignalAndWait(TimeSpan.FromSeconds(5)));
                log.Enqueue(name);
                return Done.Instance;
            }));
        }

        var first = system.Terminate();
        var second = system.Terminate();
        await first.WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        await second;
        Assert.Equal(
            ["before-service-unbind", "parallel", "parallel", "service-stop", "before-actor-system-terminate"],
            log.Select(e => e.StartsWith("parallel", StringComparison.Ordinal) ? "parallel" : e));
        Assert.IsType<CoordinatedShutdown.ActorSystemTerminateReason>(shutdown.ShutdownReason);
    }

    [Fact]
    public void Item64_a_cycle_in_the_phase_graph_is_rejected_at_configuration_time()
    {
        var cyclic = CoordinatedShutdownSettings.Default
            .WithPhase("a", new Phase { DependsOn = ["b"] })
            .WithPhase("b", new Phase { DependsOn = ["a"] });
        var error = Assert.Throws<ArgumentException>(() => ActorSystem.Create("cyclic", ActorSystemSettings.Default with { CoordinatedShutdown = cyclic }));
        Assert.Contains("Cycle", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CoordinatedShutdown.TopologicalSort(cyclic.Phases));
    }

    [Fact]
    public async Task Item65_a_timed_out_task_is_logged_and_shutdown_continues_when_recover_is_on()
    {
        var logs = new CollectingLoggerProvider();
        var settings = CoordinatedShutdownSettings.Default.WithPhase(
            CoordinatedShutdown.PhaseServiceUnbind,
            new Phase { DependsOn = [CoordinatedShutdown.PhaseBeforeServiceUnbind], Timeout = TimeSpan.FromMilliseconds(100) });
        var system = ActorSystem.Create("recover", ActorSystemSettings.Default with { CoordinatedShutdown = settings, LoggerFactory = logs.Factory });
        var shutdown = CoordinatedShutdown.Get(system);
        var later = false;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "hangs", () => new TaskCompletionSource<Done>().Task);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "fails", () => throw new TestException("task failed"));
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "later", () =>
        {
            later = true;
            return Task.FromResult(Done.Instance);
        });
        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.True(later);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 3004);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 3003 && e.Exception is TestException);
    }

    [Fact]
    public async Task Item65_with_recover_off_shutdown_stops_at_the_failed_phase()
    {
        var settings = CoordinatedShutdownSettings.Default.WithPhase(
            CoordinatedShutdown.PhaseServiceUnbind,
            new Phase { DependsOn = [CoordinatedShutdown.PhaseBeforeServiceUnbind], Recover = false });
        var system = ActorSystem.Create("norecover", ActorSystemSettings.Default with { CoordinatedShutdown = settings });
        var shutdown = CoordinatedShutdown.Get(system);
        var later = false;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "fails", () => Task.FromException<Done>(new TestException("no")));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "later", () =>
        {
            later = true;
            return Task.FromResult(Done.Instance);
        });
        await shutdown.Run(CoordinatedShutdown.UnknownReason.Instance).WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.False(later);
        Assert.False(system.WhenTerminated.IsCompleted);
        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Item65_running_from_a_phase_skips_earlier_ones_and_an_earlier_phase_may_add_tasks_to_a_later_one()
    {
        var system = ActorSystem.Create("fromphase");
        var shutdown = CoordinatedShutdown.Get(system);
        var log = new ConcurrentQueue<string>();
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "skipped", () =>
        {
            log.Enqueue("skipped");
            return Task.FromResult(Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "adds", () =>
        {
            log.Enqueue("adds");
            shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "added", () =>
            {
                log.Enqueue("added");
                return Task.FromResult(Done.Instance);
            });
            return Task.FromResult(Done.Instance);
        });
        await shutdown.Run(CoordinatedShutdown.UnknownReason.Instance, CoordinatedShutdown.PhaseServiceUnbind)
            .WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(["adds", "added"], log);
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task Item66_actors_stop_top_down_before_system_actors_then_when_terminated_completes_and_actor_of_fails()
    {
        var system = ActorSystem.Create("order");
        var stopped = new ConcurrentQueue<string>();
        var started = new CountdownEvent(3);
        system.ActorOf(Props.Create(() => new RecordingParent(stopped, started)), "parent");

        // A system actor (under /system), as the kernel's own dead-letter listener is: it must outlive the user actors.
        system.SystemGuardian.Cell.ActorOf(Props.Create(() => new Recorder(stopped, started, "system actor")), "recorder");
        Assert.True(started.Wait(Dilated(TimeSpan.FromSeconds(5))));

        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(["child", "parent", "system actor"], stopped);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new EchoActor())));
    }

    [Fact]
    public async Task Item67_termination_callbacks_run_in_reverse_order_and_registering_after_termination_throws()
    {
        var system = ActorSystem.Create("callbacks");
        var order = new ConcurrentQueue<int>();
        for (var i = 1; i <= 3; i++)
        {
            var n = i;
            system.RegisterOnTermination(() => order.Enqueue(n));
        }

        await system.Terminate().WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal([3, 2, 1], order);
        Assert.Throws<InvalidOperationException>(() => system.RegisterOnTermination(() => { }));
    }

    [Fact]
    public async Task Item68_graceful_stop_is_true_after_post_stop_true_for_dead_targets_and_false_on_timeout()
    {
        var postStopped = new StrongFlag();
        var actor = Sys.ActorOf(Props.Create(() => new FlagOnPostStop(postStopped)));
        Assert.True(await actor.GracefulStop(Dilated(TimeSpan.FromSeconds(3))));
        Assert.True(postStopped.IsSet);
        Assert.True(await actor.GracefulStop(Dilated(TimeSpan.FromSeconds(3))));

        using var gate = new ManualResetEventSlim(false);
        var stuck = Sys.ActorOf(Props.Create(() => new Stuck(gate, TestActor)));
        stuck.Tell("block");
        ExpectMsg("blocked");
        Assert.False(await stuck.GracefulStop(TimeSpan.FromMilliseconds(200)));
        gate.Set();
        Assert.True(await stuck.GracefulStop(Dilated(TimeSpan.FromSeconds(3)), "custom stop"));
    }

    private sealed class StrongFlag
    {
        private volatile bool _set;

        public bool IsSet => _set;

        public void Set() => _set = true;
    }

    private sealed class FlagOnPostStop(StrongFlag flag) : ReceiveActor
    {
        protected override void PostStop()
        {
            // Slow on purpose: GracefulStop must not complete before PostStop has finished.
            Thread.Sleep(100);
            flag.Set();
        }
    }

    private sealed class Stuck : ReceiveActor
    {
        public Stuck(ManualResetEventSlim gate, IActorRef probe)
        {
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked");
                gate.Wait(TimeSpan.FromSeconds(10));
            });
            Receive<string>(s => s == "custom stop", _ => Context.Stop(Self));
        }
    }

    private class Recorder(ConcurrentQueue<string> stopped, CountdownEvent started, string name) : ReceiveActor
    {
        protected override void PreStart() => started.Signal();

        protected override void PostStop()
        {
            // Slow on purpose: nothing up the tree may finish before this has.
            Thread.Sleep(30);
            stopped.Enqueue(name);
        }
    }

    private sealed class RecordingParent : Recorder
    {
        public RecordingParent(ConcurrentQueue<string> stopped, CountdownEvent started)
            : base(stopped, started, "parent")
        {
            Context.ActorOf(Props.Create(() => new Recorder(stopped, started, "child")), "child");
        }
    }
}
