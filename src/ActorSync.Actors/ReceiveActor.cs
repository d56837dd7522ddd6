using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers, registered in the constructor or inside <see cref="Become(Action)"/>.
/// Handlers are tried in registration order; the first whose type and predicate match handles the message.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly Stack<List<MessageHandler>> _building = new();
    private MessageHandlerSet? _initial;

    /// <summary>Starts collecting the handlers of the initial behaviour.</summary>
    protected ReceiveActor()
    {
        _building.Push([]);
    }

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => _initial is not null && _initial.TryHandle(message);

    /// <summary>Replaces the current behaviour with the handlers that <paramref name="configure"/> registers.</summary>
    /// <param name="configure">Registers the handlers of the new behaviour.</param>
    protected void Become(Action configure) => Become(BuildHandlers(configure).TryHandle);

    /// <summary>Pushes a behaviour made of the handlers that <paramref name="configure"/> registers.</summary>
    /// <param name="configure">Registers the handlers of the new behaviour.</param>
    protected void BecomeStacked(Action configure) => BecomeStacked(BuildHandlers(configure).TryHandle);

    /// <summary>Handles messages of type <typeparamref name="T"/> that match <paramref name="shouldHandle"/>.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="handler">The handler.</param>
    /// <param name="shouldHandle">An optional condition.</param>
    /// <exception cref="InvalidOperationException">Called outside the constructor or a <c>Become</c> configuration.</exception>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that match <paramref name="shouldHandle"/>.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="shouldHandle">The condition.</param>
    /// <param name="handler">The handler.</param>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>Handles messages of type <typeparamref name="T"/>; the handler returns whether it handled the message.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="handler">The handler.</param>
    protected void Receive<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new FuncHandler<T>(handler));
    }

    /// <summary>Handles messages assignable to <paramref name="messageType"/>.</summary>
    /// <param name="messageType">The message type.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="shouldHandle">An optional condition.</param>
    protected void Receive(Type messageType, Action<object> handler, Predicate<object>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new TypeHandler(messageType, handler, shouldHandle));
    }

    /// <summary>Handles messages assignable to <paramref name="messageType"/>.</summary>
    /// <param name="messageType">The message type.</param>
    /// <param name="shouldHandle">The condition.</param>
    /// <param name="handler">The handler.</param>
    protected void Receive(Type messageType, Predicate<object> shouldHandle, Action<object> handler) =>
        Receive(messageType, handler, shouldHandle);

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: until the returned task completes, the actor
    /// processes no other message, and a fault of the task fails the actor.
    /// </summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="handler">The handler.</param>
    /// <param name="shouldHandle">An optional condition.</param>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new AsyncHandler<T>(Cell, handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> asynchronously (see <see cref="ReceiveAsync{T}(Func{T, Task}, Predicate{T})"/>).</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="shouldHandle">The condition.</param>
    /// <param name="handler">The handler.</param>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) => ReceiveAsync(handler, shouldHandle);

    /// <summary>Handles every message not handled by an earlier handler.</summary>
    /// <param name="handler">The handler.</param>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Handles every message not handled by an earlier handler, asynchronously.</summary>
    /// <param name="handler">The handler.</param>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    internal override void OnConstructed()
    {
        _initial = new MessageHandlerSet(_building.Pop());
    }

    private MessageHandlerSet BuildHandlers(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var handlers = new List<MessageHandler>();
        _building.Push(handlers);
        try
        {
            configure();
        }
        finally
        {
            _building.Pop();
        }

        return new MessageHandlerSet(handlers);
    }

    private void Add(MessageHandler handler)
    {
        if (!_building.TryPeek(out var handlers))
        {
            throw new InvalidOperationException(
                $"Receive handlers of {GetType()} can only be registered in its constructor or inside Become(...).");
        }

        handlers.Add(handler);
    }
}
