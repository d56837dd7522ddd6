using ActorSync.Actors.Event;
using ActorSync.Actors.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

public sealed class AskTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Item07_ask_completes_with_the_first_reply_of_type_T_and_a_null_reply_gives_default()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Assert.Equal("hello", await echo.Ask<string>("hello", Dilated(AskTimeout)));

        var replier = Sys.ActorOf(Props.Create(() => new NullReplier()));
        Assert.Null(await replier.Ask<string>("anything", Dilated(AskTimeout)));

        // The temporary reply ref is the Sender the receiver sees.
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<int>("question", Dilated(AskTimeout));
        probe.ExpectMsg("question");
        Assert.Contains("/temp/", probe.LastSender.Path.ToString(), StringComparison.Ordinal);
        probe.Reply(7);
        Assert.Equal(7, await ask);
    }

    [Fact]
    public async Task Item08_no_reply_within_the_timeout_fails_with_AskTimeoutException_and_a_late_reply_is_a_dead_letter()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<string>("question", TimeSpan.FromMilliseconds(100));
        probe.ExpectMsg("question");
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        probe.Reply("too late");
        ExpectMsg<DeadLetter>(d => d.Message.Equals("too late"));
    }

    [Fact]
    public async Task Item08_without_a_timeout_the_configured_default_applies()
    {
        using var system = ActorSystem.Create("ask-default", ActorSystemSettings.Default with { AskTimeout = TimeSpan.FromMilliseconds(100) });
        var silent = system.ActorOf(Props.Create(() => new NullReplier()), "silent");
        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<string>(42));
    }

    [Fact]
    public async Task Item08_with_an_infinite_default_the_ask_waits_until_answered_or_cancelled()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, Sys.Settings.AskTimeout);
        var probe = CreateTestProbe();
        var answered = probe.Ref.Ask<string>("question");
        probe.ExpectMsg("question");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.False(answered.IsCompleted);
        probe.Reply("answer");
        Assert.Equal("answer", await answered);

        using var cancellation = new CancellationTokenSource();
        var cancelled = probe.Ref.Ask<string>("again", cancellation.Token);
        probe.ExpectMsg("again");
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact]
    public async Task Item09_a_Status_Failure_reply_fails_the_task_with_its_cause()
    {
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<string>("question", Dilated(AskTimeout));
        probe.ExpectMsg("question");
        probe.Reply(new Status.Failure(new TestException("boom")));
        var error = await Assert.ThrowsAsync<TestException>(() => ask);
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task Item10_a_reply_of_the_wrong_type_fails_with_ArgumentException_and_is_a_dead_letter()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        await Assert.ThrowsAsync<ArgumentException>(() => echo.Ask<string>(42, Dilated(AskTimeout)));
        ExpectMsg<DeadLetter>(d => d.Message.Equals(42));
    }

    [Fact]
    public async Task Item11_only_the_first_reply_counts_and_further_replies_are_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var tripleReplier = Sys.ActorOf(Props.Create(() => new TripleReplier()));
        Assert.Equal("reply 1", await tripleReplier.Ask<string>("go", Dilated(AskTimeout)));
        ExpectMsg<DeadLetter>(d => d.Message.Equals("reply 2"));
        ExpectMsg<DeadLetter>(d => d.Message.Equals("reply 3"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Item12_cancellation_cancels_the_task_and_a_later_reply_is_dropped_silently()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(AllDeadLetters));
        var probe = CreateTestProbe();
        using var cancellation = new CancellationTokenSource();
        var ask = probe.Ref.Ask<string>("question", Dilated(AskTimeout), cancellation.Token);
        probe.ExpectMsg("question");
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<TaskCanceledException>(() => ask);
        probe.Reply("too late");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Item13_pipe_to_sends_the_result_or_a_Status_Failure_and_nothing_for_a_task_without_result()
    {
        Task.FromResult("done").PipeTo(TestActor);
        ExpectMsg("done");

        var failing = Task.FromException<string>(new TestException("failed"));
        failing.PipeTo(TestActor);
        Assert.Equal("failed", ExpectMsg<Status.Failure>().Cause.Message);

        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending.Task.PipeTo(TestActor, success: i => $"mapped {i}");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        pending.SetResult(5);
        ExpectMsg("mapped 5");

        Task.CompletedTask.PipeTo(TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var probe = CreateTestProbe();
        Task.FromResult(1).PipeTo(TestActor, probe.Ref);
        ExpectMsg(1);
        Assert.Equal(probe.Ref, LastSender);
    }

    private sealed class NullReplier : ReceiveActor
    {
        // Only an ask's temporary reference accepts a null message; every other reference rejects it.
        public NullReplier() => Receive<string>(_ => Sender.Tell(null!));
    }

    private sealed class TripleReplier : ReceiveActor
    {
        public TripleReplier()
        {
            Receive<string>(_ =>
            {
                Sender.Tell("reply 1");
                Sender.Tell("reply 2");
                Sender.Tell("reply 3");
            });
        }
    }
}
