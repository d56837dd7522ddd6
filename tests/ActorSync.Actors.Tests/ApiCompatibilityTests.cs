using ActorSync.Actors.Event;
using ActorSync.Actors.Pattern;
using Xunit.Abstractions;

namespace ActorSync.Actors.Tests;

/// <summary>
/// Code written as one would against Akka.NET (only the using lines differ): it must compile and behave.
/// </summary>
public sealed class ApiCompatibilityTests(ITestOutputHelper output) : TestKit.Xunit2.TestKit(output)
{
    [Fact]
    public async Task Akka_style_actor_code_compiles_and_runs()
    {
        var manager = Sys.ActorOf(Props.Create(() => new Manager(3)), "manager");
        var reply = await manager.Ask<string>(new Work("job"), TimeSpan.FromSeconds(3));
        Assert.Equal("done: job by worker-0", reply);

        manager.Tell("stash me");
        manager.Tell(new Open());
        ExpectMsg("unstashed: stash me");

        var backoff = Sys.ActorOf(BackoffSupervisor.Props(Backoff.OnFailure(
            Props.Create<Worker>(0), "child", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 0.2)));
        backoff.Tell(new Work("through backoff"));
        ExpectMsg("done: through backoff by worker-0");
        Assert.True(await manager.GracefulStop(TimeSpan.FromSeconds(3)));
    }

    public sealed record Work(string Name);

    public sealed record Open;

    public sealed class Manager : ReceiveActor, IWithTimers, IWithUnboundedStash
    {
        private readonly ILoggingAdapter _log = Context.GetLogger();

        public Manager(int workers)
        {
            for (var i = 0; i < workers; i++)
            {
                Context.Watch(Context.ActorOf(Props.Create(() => new Worker(i)), $"worker-{i}"));
            }

            ReceiveAsync<Work>(async work =>
            {
                var result = await Context.Child("worker-0").Ask<string>(work, TimeSpan.FromSeconds(3));
                Sender.Tell(result, Self);
            });
            Receive<string>(_ => Stash.Stash());
            Receive<Open>(_ =>
            {
                Stash.UnstashAll();
                Become(Opened);
            });
            Receive<Terminated>(t => _log.Warning("{0} terminated", t.ActorRef));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        public IStash Stash { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("heartbeat", new Heartbeat(), TimeSpan.FromSeconds(10));

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
            maxNrOfRetries: 3,
            withinTimeRange: TimeSpan.FromSeconds(5),
            localOnlyDecider: ex => ex is ArgumentException ? Directive.Stop : Directive.Restart);

        private void Opened()
        {
            Receive<string>(s => Sender.Tell("unstashed: " + s, Self));
            Receive<Heartbeat>(_ => _log.Debug("heartbeat"));
        }

        private sealed class Heartbeat;
    }

    public sealed class Worker : UntypedActor
    {
        private readonly int _id;

        public Worker(int id)
        {
            _id = id;
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Work work:
                    Sender.Tell($"done: {work.Name} by worker-{_id}");
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }
}
