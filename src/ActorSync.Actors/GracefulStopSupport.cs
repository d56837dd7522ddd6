using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary><c>GracefulStop</c> and <c>WatchAsync</c>: await an actor's termination from outside any actor.</summary>
public static class GracefulStopSupport
{
    /// <summary>Sends <see cref="PoisonPill"/> and waits for the target to terminate.</summary>
    /// <param name="target">The actor.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns><see langword="true"/> once it terminated (its <c>PostStop</c> has run); <see langword="false"/> on timeout.</returns>
    public static Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout) => GracefulStop(target, timeout, PoisonPill.Instance);

    /// <summary>Sends <paramref name="stopMessage"/> and waits for the target to terminate.</summary>
    /// <param name="target">The actor.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="stopMessage">The message that makes it stop.</param>
    /// <returns><see langword="true"/> once it terminated (at once if already dead); <see langword="false"/> on timeout.</returns>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object stopMessage)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(stopMessage);
        using var timeoutSource = new CancellationTokenSource(timeout);
        var terminated = WatchCore(target, timeoutSource.Token, out var watcher);
        target.Tell(stopMessage, ActorRefs.NoSender);
        try
        {
            return await terminated.ConfigureAwait(false);
        }
        finally
        {
            watcher?.Stop();
        }
    }

    /// <summary>Waits for the target to terminate.</summary>
    /// <param name="target">The actor.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns><see langword="true"/> once it terminated (at once if already dead); <see langword="false"/> when cancelled first.</returns>
    public static Task<bool> WatchAsync(this IActorRef target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return WatchCore(target, cancellationToken, out _);
    }

    private static Task<bool> WatchCore(IActorRef target, CancellationToken cancellationToken, out FunctionRef? watcher)
    {
        watcher = null;
        if (target is not IInternalActorRef { System: { } system } internalTarget)
        {
            // Nobody and foreign references are as good as dead.
            return Task.FromResult(true);
        }

        var result = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var functionRef = new FunctionRef(system, system.NextTempPath(), null, _ => result.TrySetResult(true));
        watcher = functionRef;
        functionRef.Watch(internalTarget);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                if (result.TrySetResult(false))
                {
                    functionRef.Unwatch(internalTarget);
                    functionRef.Stop();
                }
            });
            result.Task.ContinueWith(
                static (_, state) => ((CancellationTokenRegistration)state!).Dispose(),
                registration,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return result.Task;
    }
}
