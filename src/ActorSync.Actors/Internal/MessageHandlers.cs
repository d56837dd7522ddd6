namespace ActorSync.Actors.Internal;

/// <summary>One handler of a <see cref="ReceiveActor"/> behaviour.</summary>
internal abstract class MessageHandler
{
    public abstract bool TryHandle(object message);
}

/// <summary>The handlers of one behaviour, tried in registration order.</summary>
internal sealed class MessageHandlerSet(List<MessageHandler> handlers)
{
    private readonly MessageHandler[] _handlers = [.. handlers];

    public bool TryHandle(object message)
    {
        foreach (var handler in _handlers)
        {
            if (handler.TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class ActionHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : MessageHandler
{
    public override bool TryHandle(object message)
    {
        if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
        {
            handler(typed);
            return true;
        }

        return false;
    }
}

internal sealed class FuncHandler<T>(Func<T, bool> handler) : MessageHandler
{
    public override bool TryHandle(object message) => message is T typed && handler(typed);
}

internal sealed class TypeHandler(Type messageType, Action<object> handler, Predicate<object>? shouldHandle) : MessageHandler
{
    public override bool TryHandle(object message)
    {
        if (messageType.IsInstanceOfType(message) && (shouldHandle is null || shouldHandle(message)))
        {
            handler(message);
            return true;
        }

        return false;
    }
}

internal sealed class AsyncHandler<T>(ActorCell cell, Func<T, Task> handler, Predicate<T>? shouldHandle) : MessageHandler
{
    public override bool TryHandle(object message)
    {
        if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
        {
            cell.RunTask(() => handler(typed));
            return true;
        }

        return false;
    }
}
