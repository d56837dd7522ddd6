using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Dispatch;

/// <summary>
/// A message of the kernel's own channel: supervision, death watch and async continuations. System messages are
/// processed before user messages and also while the actor is suspended.
/// </summary>
internal abstract class SystemMessage;

internal sealed class Create : SystemMessage
{
    public static readonly Create Instance = new();
}

internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Suspend : SystemMessage
{
    public static readonly Suspend Instance = new();
}

internal sealed class Resume(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

internal sealed class Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();
}

internal sealed class Watch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;

    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;

    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class DeathWatchNotification(IActorRef actor, bool existenceConfirmed) : SystemMessage
{
    public IActorRef Actor { get; } = actor;

    public bool ExistenceConfirmed { get; } = existenceConfirmed;
}

internal sealed class Failed(IInternalActorRef child, Exception cause) : SystemMessage
{
    public IInternalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;
}

/// <summary>Runs a continuation of an async handler on the actor (see <see cref="ActorTaskScheduler"/>).</summary>
internal sealed class ExecuteTask(ActorTaskScheduler scheduler, Task task) : SystemMessage
{
    public ActorTaskScheduler Scheduler { get; } = scheduler;

    public Task Task { get; } = task;
}

/// <summary>The task of an async handler completed; the actor resumes its mailbox or fails.</summary>
internal sealed class AsyncTaskCompleted(ActorTaskScheduler scheduler, Task task) : SystemMessage
{
    public ActorTaskScheduler Scheduler { get; } = scheduler;

    public Task Task { get; } = task;
}
