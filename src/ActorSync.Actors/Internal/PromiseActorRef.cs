using ActorSync.Actors.Dispatch;
using ActorSync.Actors.Scheduling;

namespace ActorSync.Actors.Internal;

/// <summary>
/// The temporary reply reference of one <c>Ask</c>. The first reply completes the task; later replies, and replies
/// after a timeout, become dead letters; after cancellation they are dropped silently (semantics items 7-12).
/// </summary>
internal sealed class PromiseActorRef<T> : ActorRefBase
{
    private const int Pending = 0;
    private const int Completed = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem _system;
    private ScheduledItem? _timeout;
    private CancellationTokenRegistration _cancellation;
    private int _state;

    public PromiseActorRef(ActorSystem system)
    {
        _system = system;
        Path = system.NextTempPath();
    }

    public Task<T> Task => _promise.Task;

    public override ActorPath Path { get; }

    public override ActorSystem System => _system;

    public override bool IsTerminated => Volatile.Read(ref _state) != Pending;

    public override IInternalActorRef? Parent => null;

    public void Start(TimeSpan timeout, IActorRef target, CancellationToken cancellationToken)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var scheduler = (DefaultScheduler)_system.Scheduler;
            _timeout = scheduler.Schedule(timeout, Timeout.InfiniteTimeSpan, () =>
            {
                if (Interlocked.CompareExchange(ref _state, Completed, Pending) == Pending)
                {
                    _cancellation.Dispose();
                    _promise.TrySetException(new AskTimeoutException($"Ask timed out on [{target}] after [{timeout.TotalMilliseconds} ms]."));
                }
            });
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.Register(static state =>
            {
                var self = (PromiseActorRef<T>)state!;
                if (Interlocked.CompareExchange(ref self._state, Cancelled, Pending) == Pending)
                {
                    self._timeout?.Cancel();
                    self._promise.TrySetCanceled();
                }
            }, this);
        }
    }

    public void Fail(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Pending) == Pending)
        {
            Cleanup();
            _promise.TrySetException(exception);
        }
    }

    public override void Tell(object message, IActorRef? sender)
    {
        var previous = Interlocked.CompareExchange(ref _state, Completed, Pending);
        if (previous == Cancelled)
        {
            return;
        }

        if (previous != Pending)
        {
            if (message is not null)
            {
                _system.PublishDeadLetter(message, sender, this);
            }

            return;
        }

        Cleanup();
        switch (message)
        {
            case null:
                // A null reply is not an error: the ask completes with default(T) (semantics item 7).
                _promise.TrySetResult(default!);
                break;
            case T result:
                _promise.TrySetResult(result);
                break;
            case Status.Failure failure:
                _promise.TrySetException(failure.Cause);
                break;
            default:
                _promise.TrySetException(new ArgumentException(
                    $"Ask expected a reply of type {typeof(T)} but received {message.GetType()}: {message}"));
                _system.PublishDeadLetter(message, sender, this);
                break;
        }
    }

    public override void SendSystemMessage(SystemMessage message) => DeadSystemMessages.Handle(this, message);

    private void Cleanup()
    {
        _timeout?.Cancel();
        _cancellation.Dispose();
    }
}
