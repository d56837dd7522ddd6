using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ActorSync.Actors.TestKit.Tests;

public sealed class TestKitTests(ITestOutputHelper output) : Xunit2.TestKit(output)
{
    [Fact]
    public void Item69_expect_msg_matches_equal_messages_types_and_predicates_and_fails_on_others()
    {
        TestActor.Tell("hello");
        Assert.Equal("hello", ExpectMsg("hello"));
        TestActor.Tell(42);
        Assert.Equal(42, ExpectMsg<int>(i => i > 40));
        TestActor.Tell("other");
        var wrong = Assert.ThrowsAny<XunitException>(() => ExpectMsg("hello"));
        Assert.Contains("other", wrong.Message, StringComparison.Ordinal);
        TestActor.Tell(1);
        Assert.ThrowsAny<XunitException>(() => ExpectMsg<string>());
        TestActor.Tell(1);
        Assert.ThrowsAny<XunitException>(() => ExpectMsg<int>(i => i > 40));
        Assert.ThrowsAny<XunitException>(() => ExpectMsg<int>(TimeSpan.FromMilliseconds(50)));

        // Replies to a Tell from the test come back to the TestActor (the implicit sender).
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        echo.Tell("ping");
        ExpectMsg("ping");
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void Item70_expect_no_msg_fails_on_arrival_within_the_window_and_on_an_unread_message()
    {
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        TestActor.Tell("unread");
        Assert.ThrowsAny<XunitException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(50)));
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "late", null);
        Assert.ThrowsAny<XunitException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(2000)));
    }

    [Fact]
    public void Item71_expect_terminated_passes_for_a_watched_actor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Echo()));
        Watch(actor);
        Sys.Stop(actor);
        Assert.Equal(actor, ExpectTerminated(actor).ActorRef);

        var other = Sys.ActorOf(Props.Create(() => new Echo()));
        var unwatched = Sys.ActorOf(Props.Create(() => new Echo()));
        Watch(other);
        Sys.Stop(unwatched);
        Sys.Stop(other);
        Assert.Equal(other, ExpectTerminated(other).ActorRef);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Item72_await_assert_and_await_condition_poll_until_success_or_fail_with_the_last_error_at_max()
    {
        var started = Stopwatch.StartNew();
        var attempts = 0;
        AwaitAssert(() => Assert.True(++attempts >= 3), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(20));
        Assert.Equal(3, attempts);

        var failure = Assert.ThrowsAny<XunitException>(() =>
            AwaitAssert(() => Assert.Fail("still failing " + started.ElapsedMilliseconds), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(30)));
        Assert.Contains("still failing", failure.Message, StringComparison.Ordinal);

        var flag = false;
        Sys.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(50), () => Volatile.Write(ref flag, true));
        AwaitCondition(() => Volatile.Read(ref flag));
        Assert.ThrowsAny<XunitException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(100)));

        // Inside Within, the default max is the time left.
        var elapsed = Stopwatch.StartNew();
        Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromMilliseconds(300), () => AwaitCondition(() => false)));
        Assert.True(elapsed.Elapsed < Dilated(TimeSpan.FromSeconds(2.5)), "AwaitCondition inside Within must stop at the Within deadline");
    }

    [Fact]
    public void Item73_within_bounds_the_block_inner_expectations_inherit_the_deadline_and_probes_have_their_own()
    {
        Within(TimeSpan.FromSeconds(2), () =>
        {
            TestActor.Tell("inside");
            ExpectMsg("inside");
        });

        Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), () => { }));

        // The expectation inside inherits the 200 ms left, not the 3 s default.
        var elapsed = Stopwatch.StartNew();
        Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromMilliseconds(200), () => ExpectMsg<string>()));
        Assert.True(elapsed.Elapsed < Dilated(TimeSpan.FromSeconds(2)), "the expectation must use the Within deadline");

        // A probe does not see the enclosing TestKit's deadline.
        var probe = CreateTestProbe();
        Within(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), () =>
        {
            Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(150), probe.Ref, "late for the kit, fine for the probe", null);
            probe.ExpectMsg("late for the kit, fine for the probe", TimeSpan.FromSeconds(2));
        });

        Assert.Equal(TimeSpan.FromSeconds(2) * TestKitSettings.TestTimeFactor, Dilated(TimeSpan.FromSeconds(2)));
        Assert.Throws<InvalidOperationException>(() => Remaining);
    }

    [Fact]
    public void Item74_probes_reply_forward_create_children_ignore_fish_expect_all_of_and_receive_while()
    {
        var probe = CreateTestProbe();
        var asker = CreateTestProbe();
        probe.Ref.Tell("question", asker.Ref);
        probe.ExpectMsg("question");
        Assert.Equal(asker.Ref, probe.LastSender);
        probe.Reply("answer");
        asker.ExpectMsg("answer");
        Assert.Equal(probe.Ref, asker.LastSender);

        var target = CreateTestProbe();
        probe.Ref.Tell("forward me", asker.Ref);
        probe.ExpectMsg("forward me");
        probe.Forward(target.Ref);
        target.ExpectMsg("forward me");
        Assert.Equal(asker.Ref, target.LastSender);

        var child = probe.ChildActorOf(Props.Create(() => new ParentReporter()));
        child.Tell("who is your parent?");
        Assert.Equal(probe.Ref, probe.ExpectMsg<IActorRef>());

        IgnoreMessages<string>(s => s.StartsWith("noise", StringComparison.Ordinal));
        TestActor.Tell("noise 1");
        TestActor.Tell("signal");
        ExpectMsg("signal");
        IgnoreNoMessages();

        TestActor.Tell(1);
        TestActor.Tell(2);
        TestActor.Tell("fish");
        Assert.Equal("fish", FishForMessage(m => m is string));

        TestActor.Tell("b");
        TestActor.Tell("c");
        TestActor.Tell("a");
        Assert.Equal(["b", "c", "a"], ExpectMsgAllOf("a", "b", "c"));

        for (var i = 0; i < 5; i++)
        {
            TestActor.Tell(i);
        }

        TestActor.Tell("stop");
        Assert.Equal([0, 1, 2, 3, 4], ReceiveWhile<int>(_ => true, TimeSpan.FromSeconds(1), shouldIgnoreOtherMessageTypes: false));
        ExpectMsg("stop");
    }

    [Fact]
    public void Child_actor_of_uses_the_given_supervisor_strategy()
    {
        var child = ChildActorOf(Props.Create(() => new Failing()), SupervisorStrategy.StoppingStrategy);
        Watch(child);
        child.Tell("fail");
        ExpectTerminated(child);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private sealed class ParentReporter : ReceiveActor
    {
        public ParentReporter() => ReceiveAny(_ => Context.Parent.Tell(Context.Parent, Self));
    }

    private sealed class Failing : ReceiveActor
    {
        public Failing() => ReceiveAny(_ => throw new InvalidOperationException("fail"));
    }
}
