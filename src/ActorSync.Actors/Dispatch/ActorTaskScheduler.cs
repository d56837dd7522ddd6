using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Dispatch;

/// <summary>
/// The task scheduler of one async handler invocation. Continuations after an <c>await</c> are posted to the actor as
/// system messages and run on the actor's turn with the original message and sender restored, so they never run in
/// parallel with another handler of the same actor.
/// </summary>
internal sealed class ActorTaskScheduler(ActorCell cell, Envelope envelope, int incarnation) : TaskScheduler
{
    public ActorCell Cell => cell;

    public Envelope Envelope { get; } = envelope;

    public int Incarnation { get; } = incarnation;

    public override int MaximumConcurrencyLevel => 1;

    public void Run(Task task) => TryExecuteTask(task);

    protected override void QueueTask(Task task) => cell.SelfRef.SendSystemMessage(new ExecuteTask(this, task));

    // Inline only on the actor's own turn; anywhere else the continuation must queue behind the actor's work.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        ActorCell.Current == cell && TryExecuteTask(task);

    protected override IEnumerable<Task>? GetScheduledTasks() => null;
}
