using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// <c>Ask</c>: send a message with a temporary reply reference as sender and await the first reply. A
/// <see cref="Status.Failure"/> reply fails the task with its cause; a reply of the wrong type fails it with
/// <see cref="ArgumentException"/>; no reply within the timeout fails it with <see cref="AskTimeoutException"/>;
/// cancellation cancels it.
/// </summary>
public static class Futures
{
    /// <summary>Asks and returns the reply as an object.</summary>
    /// <param name="self">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="timeout">The timeout; the system's <see cref="ActorSystemSettings.AskTimeout"/> when <see langword="null"/>.</param>
    public static Task<object> Ask(this ICanTell self, object message, TimeSpan? timeout = null) =>
        Ask<object>(self, message, timeout, CancellationToken.None);

    /// <summary>Asks and returns the reply as an object.</summary>
    /// <param name="self">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task<object> Ask(this ICanTell self, object message, CancellationToken cancellationToken) =>
        Ask<object>(self, message, null, cancellationToken);

    /// <summary>Asks and returns the reply as an object.</summary>
    /// <param name="self">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="timeout">The timeout; the system's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task<object> Ask(this ICanTell self, object message, TimeSpan? timeout, CancellationToken cancellationToken) =>
        Ask<object>(self, message, timeout, cancellationToken);

    /// <summary>Asks and returns the first reply of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected reply type.</typeparam>
    /// <param name="self">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="timeout">The timeout; the system's default when <see langword="null"/>.</param>
    public static Task<T> Ask<T>(this ICanTell self, object message, TimeSpan? timeout = null) =>
        Ask<T>(self, message, timeout, CancellationToken.None);

    /// <summary>Asks and returns the first reply of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected reply type.</typeparam>
    /// <param name="self">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task<T> Ask<T>(this ICanTell self, object message, CancellationToken cancellationToken) =>
        Ask<T>(self, message, null, cancellationToken);

    /// <summary>Asks and returns the first reply of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected reply type.</typeparam>
    /// <param name="self">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="timeout">The timeout; the system's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task<T> Ask<T>(this ICanTell self, object message, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Ask<T>(self, _ => message, timeout, cancellationToken);
    }

    /// <summary>Asks with a message built from the temporary reply reference, and returns the first reply of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected reply type.</typeparam>
    /// <param name="self">The receiver.</param>
    /// <param name="messageFactory">Builds the message from the reply reference.</param>
    /// <param name="timeout">The timeout; the system's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentException"><paramref name="self"/> does not belong to an actor system.</exception>
    public static Task<T> Ask<T>(this ICanTell self, Func<IActorRef, object> messageFactory, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(messageFactory);
        if (self is not IInternalActorRef { System: { } system } target)
        {
            throw new ArgumentException($"Ask needs a reference that belongs to an actor system; got {self}.", nameof(self));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var effectiveTimeout = timeout ?? system.Settings.AskTimeout;
        if (effectiveTimeout <= TimeSpan.Zero && effectiveTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An ask timeout must be positive or infinite.");
        }

        var promise = new PromiseActorRef<T>(system);
        promise.Start(effectiveTimeout, target, cancellationToken);
        try
        {
            target.Tell(messageFactory(promise), promise);
        }
        catch (Exception e)
        {
            promise.Fail(e);
        }

        return promise.Task;
    }
}
