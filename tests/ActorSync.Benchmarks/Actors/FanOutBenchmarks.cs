using System.Threading.Channels;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorSync.Benchmarks.Actors;

/// <summary>
/// One message to each of 10,000 actors (repeated <see cref="Rounds"/> times), against 10,000 channels with a consumer
/// loop each. Every receiver counts down a shared counter; the last one completes the round.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const int Receivers = 10_000;
    private const int Rounds = 10;
    private static readonly object Message = new();

    private ActorSystem _system = null!;
    private IActorRef[] _actors = null!;
    private Channel<object>[] _channels = null!;
    private Task[] _loops = null!;
    private Countdown _countdown = null!;

    [GlobalSetup]
    public void Setup()
    {
        _countdown = new Countdown();
        var countdown = _countdown;
        _system = ActorSystem.Create("bench");
        _actors = new IActorRef[Receivers];
        for (var i = 0; i < Receivers; i++)
        {
            _actors[i] = _system.ActorOf(Props.Create(() => new CountdownActor(countdown)));
        }

        _channels = new Channel<object>[Receivers];
        _loops = new Task[Receivers];
        for (var i = 0; i < Receivers; i++)
        {
            _channels[i] = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
            _loops[i] = ConsumeAsync(_channels[i].Reader, countdown);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var channel in _channels)
        {
            channel.Writer.Complete();
        }

        Task.WhenAll(_loops).GetAwaiter().GetResult();
        _system.Terminate().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Receivers * Rounds)]
    public async Task ChannelFanOut()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var done = _countdown.Arm(Receivers);
            foreach (var channel in _channels)
            {
                channel.Writer.TryWrite(Message);
            }

            await done.ConfigureAwait(false);
        }
    }

    [Benchmark(OperationsPerInvoke = Receivers * Rounds)]
    public async Task ActorFanOut()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var done = _countdown.Arm(Receivers);
            foreach (var actor in _actors)
            {
                actor.Tell(Message, ActorRefs.NoSender);
            }

            await done.ConfigureAwait(false);
        }
    }

    private static async Task ConsumeAsync(ChannelReader<object> reader, Countdown countdown)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out _))
            {
                countdown.Signal();
            }
        }
    }

    private sealed class CountdownActor : ReceiveActor
    {
        public CountdownActor(Countdown countdown) => ReceiveAny(_ => countdown.Signal());
    }

    private sealed class Countdown
    {
        private int _remaining;
        private TaskCompletionSource _done = new();

        public Task Arm(int count)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, count);
            return _done.Task;
        }

        public void Signal()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }
}
