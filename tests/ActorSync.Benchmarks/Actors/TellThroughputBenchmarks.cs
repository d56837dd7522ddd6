using System.Threading.Channels;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorSync.Benchmarks.Actors;

/// <summary>
/// One-way tell to one actor, against the same work on a bare <see cref="Channel"/> consumer loop: one producer
/// thread sends <see cref="Messages"/> messages, the consumer counts them and signals the last one.
/// </summary>
[MemoryDiagnoser]
public class TellThroughputBenchmarks
{
    private const int Messages = 1_000_000;
    private static readonly object Message = new();

    private ActorSystem _system = null!;
    private IActorRef _counter = null!;
    private Channel<object> _channel = null!;
    private Task _consumer = null!;
    private CountingTarget _target = null!;

    [GlobalSetup]
    public void Setup()
    {
        _target = new CountingTarget(Messages);
        _system = ActorSystem.Create("bench");
        var target = _target;
        _counter = _system.ActorOf(Props.Create(() => new CountingActor(target)));
        _channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _consumer = ConsumeAsync(_channel.Reader, _target);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.Complete();
        _consumer.GetAwaiter().GetResult();
        _system.Terminate().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public Task ChannelConsumer()
    {
        var done = _target.Arm();
        var writer = _channel.Writer;
        for (var i = 0; i < Messages; i++)
        {
            writer.TryWrite(Message);
        }

        return done;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task ActorTell()
    {
        var done = _target.Arm();
        var counter = _counter;
        for (var i = 0; i < Messages; i++)
        {
            counter.Tell(Message, ActorRefs.NoSender);
        }

        return done;
    }

    private static async Task ConsumeAsync(ChannelReader<object> reader, CountingTarget target)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                target.Count(message);
            }
        }
    }

    private sealed class CountingActor : ReceiveActor
    {
        public CountingActor(CountingTarget target) => ReceiveAny(target.Count);
    }
}

/// <summary>The per-message work of both sides: count, and complete a task at the expected total.</summary>
internal sealed class CountingTarget(int expected)
{
    private int _count;
    private TaskCompletionSource _done = new();

    public Task Arm()
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _done.Task;
    }

    public void Count(object message)
    {
        if (++_count == expected)
        {
            _count = 0;
            _done.TrySetResult();
        }
    }
}
