using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests.Dispatch;

// Alone, not beside other test classes: the memory check must not see their allocations.
[Collection(nameof(StressTests))]
public sealed class StressTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Per_sender_fifo_holds_over_one_million_messages_from_four_concurrent_senders()
    {
        const int Senders = 4;
        const int PerSender = 250_000;
        var actor = Sys.ActorOf(Props.Create(() => new OrderChecker(Senders, PerSender, TestActor)));
        Parallel.For(0, Senders, new ParallelOptions { MaxDegreeOfParallelism = Senders }, sender =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                actor.Tell(new Sequenced(sender, i), ActorRefs.NoSender);
            }
        });
        var result = ExpectMsg<OrderResult>(Dilated(Generous));
        Assert.Equal(Senders * PerSender, result.Received);
        Assert.Equal(0, result.OutOfOrder);
    }

    [Fact]
    public void An_actor_never_runs_two_messages_at_once_under_eight_concurrent_senders()
    {
        const int Senders = 8;
        const int PerSender = 50_000;
        var actor = Sys.ActorOf(Props.Create(() => new OverlapDetector(Senders * PerSender, TestActor)));
        var threads = Enumerable.Range(0, Senders).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                actor.Tell(i, ActorRefs.NoSender);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var result = ExpectMsg<OverlapResult>(Dilated(Generous));
        Assert.Equal(Senders * PerSender, result.Received);
        Assert.Equal(0, result.Overlaps);
    }

    [Fact]
    public void Ten_thousand_actors_created_and_stopped_leave_no_instances_behind_and_memory_returns_to_baseline()
    {
        const int Count = 10_000;
        var baseline = MeasureMemory();
        var tracker = new ConcurrentBag<WeakReference>();
        CreateAndStop(Count, tracker);
        Assert.Equal(Count, tracker.Count);

        AwaitAssert(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                Assert.Equal(0, tracker.Count(w => w.IsAlive));
            },
            Dilated(TimeSpan.FromSeconds(10)),
            TimeSpan.FromMilliseconds(200));

        // Each actor held 1 KB of state, 10 MB in all; what stays must be far below that.
        var after = MeasureMemory();
        Assert.True(after - baseline < 4 * 1024 * 1024, $"memory grew from {baseline} to {after} bytes");
    }

    private void CreateAndStop(int count, ConcurrentBag<WeakReference> tracker)
    {
        var parent = Sys.ActorOf(Props.Create(() => new ManyChildren(count, tracker, TestActor)));
        ExpectMsg("all started", Dilated(Generous));
        Watch(parent);
        Sys.Stop(parent);
        ExpectTerminated(parent, Dilated(Generous));
        Unwatch(parent);
    }

    private static long MeasureMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed record Sequenced(int Sender, int Sequence);

    private sealed record OrderResult(int Received, int OutOfOrder);

    private sealed record OverlapResult(int Received, int Overlaps);

    private sealed class OrderChecker : ReceiveActor
    {
        public OrderChecker(int senders, int perSender, IActorRef probe)
        {
            var next = new int[senders];
            var received = 0;
            var outOfOrder = 0;
            Receive<Sequenced>(m =>
            {
                if (m.Sequence != next[m.Sender])
                {
                    outOfOrder++;
                }

                next[m.Sender] = m.Sequence + 1;
                if (++received == senders * perSender)
                {
                    probe.Tell(new OrderResult(received, outOfOrder));
                }
            });
        }
    }

    private sealed class OverlapDetector : ReceiveActor
    {
        private int _active;

        public OverlapDetector(int expected, IActorRef probe)
        {
            var received = 0;
            var overlaps = 0;
            Receive<int>(_ =>
            {
                if (Interlocked.Increment(ref _active) != 1)
                {
                    overlaps++;
                }

                // A little work inside the critical section makes an overlap observable if it could happen.
                Thread.SpinWait(20);
                Interlocked.Decrement(ref _active);
                if (++received == expected)
                {
                    probe.Tell(new OverlapResult(received, overlaps));
                }
            });
        }
    }

    private sealed class ManyChildren : ReceiveActor
    {
        public ManyChildren(int count, ConcurrentBag<WeakReference> tracker, IActorRef probe)
        {
            var started = 0;
            for (var i = 0; i < count; i++)
            {
                Context.ActorOf(Props.Create(() => new Tracked(tracker)));
            }

            Receive<string>(s => s == "started", _ =>
            {
                if (++started == count)
                {
                    probe.Tell("all started");
                }
            });
        }
    }

    private sealed class Tracked : ReceiveActor
    {
        private readonly byte[] _state = new byte[1024];

        public Tracked(ConcurrentBag<WeakReference> tracker)
        {
            tracker.Add(new WeakReference(this));
            Receive<string>(_ => Sender.Tell(_state.Length));
        }

        protected override void PreStart() => Context.Parent.Tell("started");
    }
}

[CollectionDefinition(nameof(StressTests), DisableParallelization = true)]
public sealed class StressTestsCollection;
