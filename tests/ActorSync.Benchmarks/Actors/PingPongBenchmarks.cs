using System.Threading.Channels;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorSync.Benchmarks.Actors;

/// <summary>Round trips between two actors, against two channel consumer loops bouncing a message.</summary>
[MemoryDiagnoser]
public class PingPongBenchmarks
{
    private const int RoundTrips = 20_000;

    private ActorSystem _system = null!;
    private IActorRef _ping = null!;
    private IActorRef _pong = null!;
    private Channel<int> _left = null!;
    private Channel<int> _right = null!;
    private Task _leftLoop = null!;
    private Task _rightLoop = null!;
    private TaskCompletionSource _channelDone = new();
    private TaskCompletionSource _actorDone = new();

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _pong = _system.ActorOf(Props.Create(() => new PongActor()));
        _ping = _system.ActorOf(Props.Create(() => new PingActor(this)));
        _left = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _right = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _leftLoop = LeftLoop();
        _rightLoop = RightLoop();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _left.Writer.Complete();
        _right.Writer.Complete();
        Task.WhenAll(_leftLoop, _rightLoop).GetAwaiter().GetResult();
        _system.Terminate().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public Task ChannelPingPong()
    {
        _channelDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _right.Writer.TryWrite(RoundTrips);
        return _channelDone.Task;
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task ActorPingPong()
    {
        _actorDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pong.Tell(RoundTrips, _ping);
        return _actorDone.Task;
    }

    // The left side receives the count back and sends it on, one less, until it reaches zero.
    private async Task LeftLoop()
    {
        var reader = _left.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var remaining))
            {
                if (remaining == 1)
                {
                    _channelDone.TrySetResult();
                }
                else
                {
                    _right.Writer.TryWrite(remaining - 1);
                }
            }
        }
    }

    private async Task RightLoop()
    {
        var reader = _right.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var remaining))
            {
                _left.Writer.TryWrite(remaining);
            }
        }
    }

    private sealed class PingActor : ReceiveActor
    {
        public PingActor(PingPongBenchmarks owner)
        {
            Receive<int>(remaining =>
            {
                if (remaining == 1)
                {
                    owner._actorDone.TrySetResult();
                }
                else
                {
                    Sender.Tell(remaining - 1, Self);
                }
            });
        }
    }

    private sealed class PongActor : ReceiveActor
    {
        public PongActor() => Receive<int>(remaining => Sender.Tell(remaining, Self));
    }
}
