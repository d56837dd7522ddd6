using System.Runtime.ExceptionServices;
using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

internal sealed partial class ActorCell
{
    private ActorTaskScheduler? _awaiting;
    private int _incarnation;

    /// <summary>
    /// Runs an async handler for the current message. If it completes synchronously nothing else happens; otherwise
    /// the mailbox is suspended until its task completes (semantics item 57), and its continuations run as system
    /// messages on the actor's turn with the message and sender restored (item 58).
    /// </summary>
    public void RunTask(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Current != this)
        {
            throw NoContext();
        }

        var scheduler = new ActorTaskScheduler(this, _current, _incarnation);
        var outer = new Task<Task>(action);
        outer.RunSynchronously(scheduler);
        var inner = outer.IsFaulted ? Task.FromException(outer.Exception!.InnerException!) : outer.Result ?? Task.CompletedTask;
        if (inner.IsCompleted)
        {
            ThrowIfFailed(inner);
            return;
        }

        _awaiting = scheduler;
        Mailbox.Suspend();
        inner.ContinueWith(
            static (task, state) =>
            {
                var owner = (ActorTaskScheduler)state!;
                owner.Cell.SelfRef.SendSystemMessage(new AsyncTaskCompleted(owner, task));
            },
            scheduler,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RunContinuation(ExecuteTask execute)
    {
        if (execute.Scheduler.Incarnation != _incarnation)
        {
            // A continuation of an instance that has been restarted or stopped meanwhile: it must not run.
            return;
        }

        var saved = _current;
        _current = execute.Scheduler.Envelope;
        try
        {
            execute.Scheduler.Run(execute.Task);
        }
        finally
        {
            _current = saved;
        }
    }

    private void AsyncTaskCompleted(AsyncTaskCompleted completed)
    {
        if (!ReferenceEquals(completed.Scheduler, _awaiting))
        {
            return;
        }

        _awaiting = null;
        Mailbox.Resume();
        if (completed.Task.IsCompletedSuccessfully)
        {
            if (_receiveTimeoutTicks > 0)
            {
                TouchReceiveTimeout();
            }

            return;
        }

        // A fault after an await is an ordinary failure of the message being handled (semantics item 59).
        var saved = _current;
        _current = completed.Scheduler.Envelope;
        try
        {
            ThrowIfFailed(completed.Task);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            _current = saved;
        }
    }

    private void AbortAwaitedTask()
    {
        _incarnation++;
        if (_awaiting is not null)
        {
            _awaiting = null;
            Mailbox.Resume();
        }
    }

    private static void ThrowIfFailed(Task task)
    {
        if (task.IsFaulted)
        {
            var exception = task.Exception!;
            ExceptionDispatchInfo.Throw(exception.InnerExceptions.Count == 1 ? exception.InnerException! : exception);
        }

        if (task.IsCanceled)
        {
            throw new TaskCanceledException(task);
        }
    }
}
