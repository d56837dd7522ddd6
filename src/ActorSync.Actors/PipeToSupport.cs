namespace ActorSync.Actors;

/// <summary><c>PipeTo</c>: sends the outcome of a task to an actor as a message.</summary>
public static class PipeToSupport
{
    /// <summary>
    /// When <paramref name="taskToPipe"/> completes, sends its result (or <paramref name="success"/> of it) to
    /// <paramref name="recipient"/>; when it fails, sends <see cref="Status.Failure"/> (or <paramref name="failure"/> of the exception).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="taskToPipe">The task.</param>
    /// <param name="recipient">The receiver.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    /// <param name="success">Maps the result to the message.</param>
    /// <param name="failure">Maps the exception to the message.</param>
    /// <returns>Completes once the message is sent.</returns>
    public static Task PipeTo<T>(
        this Task<T> taskToPipe, ICanTell recipient, IActorRef? sender = null, Func<T, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(taskToPipe);
        ArgumentNullException.ThrowIfNull(recipient);
        return PipeCore(taskToPipe, recipient, sender, success, failure);
    }

    /// <summary>
    /// When <paramref name="taskToPipe"/> completes, sends <paramref name="success"/>'s message (nothing when it is
    /// <see langword="null"/>); when it fails, sends <see cref="Status.Failure"/> (or <paramref name="failure"/> of the exception).
    /// </summary>
    /// <param name="taskToPipe">The task.</param>
    /// <param name="recipient">The receiver.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    /// <param name="success">Builds the message on success.</param>
    /// <param name="failure">Maps the exception to the message.</param>
    /// <returns>Completes once the message (if any) is sent.</returns>
    public static Task PipeTo(
        this Task taskToPipe, ICanTell recipient, IActorRef? sender = null, Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(taskToPipe);
        ArgumentNullException.ThrowIfNull(recipient);
        return PipeCore(taskToPipe, recipient, sender, success, failure);
    }

    private static async Task PipeCore<T>(
        Task<T> task, ICanTell recipient, IActorRef? sender, Func<T, object>? success, Func<Exception, object>? failure)
    {
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            recipient.Tell(failure is not null ? failure(e) : new Status.Failure(e), sender);
            return;
        }

        var message = success is not null ? success(result) : result;
        if (message is not null)
        {
            recipient.Tell(message, sender);
        }
    }

    private static async Task PipeCore(Task task, ICanTell recipient, IActorRef? sender, Func<object>? success, Func<Exception, object>? failure)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            recipient.Tell(failure is not null ? failure(e) : new Status.Failure(e), sender);
            return;
        }

        if (success?.Invoke() is { } message)
        {
            recipient.Tell(message, sender);
        }
    }
}
