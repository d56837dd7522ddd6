using System.Threading.Channels;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorSync.Benchmarks.Actors;

/// <summary>Sequential Ask round trips to an echo actor, against a request/response over a channel consumer loop.</summary>
[MemoryDiagnoser]
public class AskBenchmarks
{
    private const int Requests = 10_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly object Request = new();

    private ActorSystem _system = null!;
    private IActorRef _echo = null!;
    private Channel<(object Request, TaskCompletionSource<object> Reply)> _channel = null!;
    private Task _server = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _echo = _system.ActorOf(Props.Create(() => new EchoActor()));
        _channel = Channel.CreateUnbounded<(object, TaskCompletionSource<object>)>(new UnboundedChannelOptions { SingleReader = true });
        _server = ServeAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.Complete();
        _server.GetAwaiter().GetResult();
        _system.Terminate().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public async Task ChannelRequestReply()
    {
        for (var i = 0; i < Requests; i++)
        {
            var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            _channel.Writer.TryWrite((Request, reply));
            await reply.Task.WaitAsync(Timeout).ConfigureAwait(false);
        }
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task ActorAsk()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _echo.Ask<object>(Request, Timeout).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                item.Reply.TrySetResult(item.Request);
            }
        }
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(message => Sender.Tell(message, Self));
    }
}
