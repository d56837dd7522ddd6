using ActorSync.Actors.Scheduling;

namespace ActorSync.Actors;

/// <summary>Scheduler calls that return their <see cref="ICancelable"/>.</summary>
public static class SchedulerExtensions
{
    /// <summary>Sends a message once after a delay; returns what cancels it.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="delay">The delay.</param>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    public static ICancelable ScheduleTellOnceCancelable(
        this IScheduler scheduler, TimeSpan delay, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (scheduler is DefaultScheduler defaultScheduler)
        {
            return defaultScheduler.ScheduleTell(delay, Timeout.InfiniteTimeSpan, receiver, message, sender);
        }

        var cancelable = new Cancelable();
        scheduler.ScheduleTellOnce(delay, receiver, message, sender, cancelable);
        return cancelable;
    }

    /// <summary>Sends a message after a delay and then periodically; returns what cancels it.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    /// <param name="sender">The sender the receiver sees.</param>
    public static ICancelable ScheduleTellRepeatedlyCancelable(
        this IScheduler scheduler, TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (scheduler is DefaultScheduler defaultScheduler)
        {
            return defaultScheduler.ScheduleTell(initialDelay, interval, receiver, message, sender);
        }

        var cancelable = new Cancelable();
        scheduler.ScheduleTellRepeatedly(initialDelay, interval, receiver, message, sender, cancelable);
        return cancelable;
    }

    /// <summary>Runs an action once after a delay; returns what cancels it.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="delay">The delay.</param>
    /// <param name="action">The action.</param>
    public static ICancelable ScheduleOnceCancelable(this IScheduler scheduler, TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var cancelable = new Cancelable();
        scheduler.ScheduleOnce(delay, action, cancelable);
        return cancelable;
    }

    /// <summary>Runs an action after a delay and then periodically; returns what cancels it.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="initialDelay">The first delay.</param>
    /// <param name="interval">The period.</param>
    /// <param name="action">The action.</param>
    public static ICancelable ScheduleRepeatedlyCancelable(this IScheduler scheduler, TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var cancelable = new Cancelable();
        scheduler.ScheduleRepeatedly(initialDelay, interval, action, cancelable);
        return cancelable;
    }
}
