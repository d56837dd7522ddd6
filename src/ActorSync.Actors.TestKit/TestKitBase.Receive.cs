using System.Diagnostics;

namespace ActorSync.Actors.TestKit;

public abstract partial class TestKitBase
{
    /// <summary>Receives one message, waiting up to <paramref name="max"/>; <see langword="null"/> if none arrived.</summary>
    /// <param name="max">How long to wait (dilated); the remaining time or the default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    public object? ReceiveOne(TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        TryReceiveOne(out var envelope, max, cancellationToken) ? envelope!.Message : null;

    /// <summary>Receives one message with its sender, waiting up to <paramref name="max"/>.</summary>
    /// <param name="envelope">The message and sender, when one arrived.</param>
    /// <param name="max">How long to wait (dilated); the remaining time or the default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    public bool TryReceiveOne(out MessageEnvelope? envelope, TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        TryTake(RemainingOrDilated(max), cancellationToken, out envelope);

    /// <summary>Receives exactly <paramref name="numberOfMessages"/> messages within the remaining time or the default.</summary>
    /// <param name="numberOfMessages">How many.</param>
    /// <param name="max">The total time allowed (dilated).</param>
    public IReadOnlyList<object> ReceiveN(int numberOfMessages, TimeSpan? max = null)
    {
        var stop = Deadline(RemainingOrDilated(max));
        var messages = new List<object>(numberOfMessages);
        for (var i = 0; i < numberOfMessages; i++)
        {
            if (!TryTake(Until(stop), CancellationToken.None, out var envelope))
            {
                throw Fail($"Timeout while expecting {numberOfMessages} messages; got {i}: [{string.Join(", ", messages)}]");
            }

            messages.Add(envelope!.Message);
        }

        return messages;
    }

    /// <summary>
    /// Receives messages while <paramref name="filter"/> returns a value (not <see langword="null"/>), at most
    /// <paramref name="msgs"/>, within <paramref name="max"/>, each within <paramref name="idle"/>. The message that ends
    /// it stays queued. Hitting the time limit is not an error.
    /// </summary>
    /// <typeparam name="T">The collected type.</typeparam>
    /// <param name="filter">Maps a message to a value to collect, or <see langword="null"/> to stop.</param>
    /// <param name="max">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="idle">The longest wait for the next message (not dilated); unlimited when <see langword="null"/>.</param>
    /// <param name="msgs">The most messages to collect.</param>
    public IReadOnlyList<T> ReceiveWhile<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(filter);
        var stop = Deadline(RemainingOrDilated(max));
        var collected = new List<T>();
        while (collected.Count < msgs)
        {
            var wait = Until(stop);
            if (idle is { } idleValue && idleValue < wait)
            {
                wait = idleValue;
            }

            if (!TryTake(wait, CancellationToken.None, out var envelope))
            {
                break;
            }

            if (filter(envelope!.Message) is not { } value)
            {
                PutBack(envelope);
                break;
            }

            collected.Add(value);
        }

        return collected;
    }

    /// <summary>
    /// Receives messages of type <typeparamref name="T"/> while <paramref name="shouldContinue"/> holds; messages of
    /// other types are skipped (or end it, when <paramref name="shouldIgnoreOtherMessageTypes"/> is false).
    /// </summary>
    /// <typeparam name="T">The collected type.</typeparam>
    /// <param name="shouldContinue">Whether to collect the message and go on.</param>
    /// <param name="max">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="idle">The longest wait for the next message (not dilated).</param>
    /// <param name="msgs">The most messages to collect.</param>
    /// <param name="shouldIgnoreOtherMessageTypes">Whether other types are skipped rather than ending it.</param>
    public IReadOnlyList<T> ReceiveWhile<T>(
        Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue, bool shouldIgnoreOtherMessageTypes = true)
    {
        ArgumentNullException.ThrowIfNull(shouldContinue);
        var stop = Deadline(RemainingOrDilated(max));
        var collected = new List<T>();
        while (collected.Count < msgs)
        {
            var wait = Until(stop);
            if (idle is { } idleValue && idleValue < wait)
            {
                wait = idleValue;
            }

            if (!TryTake(wait, CancellationToken.None, out var envelope))
            {
                break;
            }

            if (envelope!.Message is T typed)
            {
                if (!shouldContinue(typed))
                {
                    PutBack(envelope);
                    break;
                }

                collected.Add(typed);
            }
            else if (!shouldIgnoreOtherMessageTypes)
            {
                PutBack(envelope);
                break;
            }
        }

        return collected;
    }

    private bool TryTake(TimeSpan timeout, CancellationToken cancellationToken, out MessageEnvelope? envelope)
    {
        if (!_state.Queue.TryTake(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, cancellationToken, out envelope))
        {
            return false;
        }

        LastMessage = envelope!.Message;
        LastSender = envelope.Sender;
        return true;
    }

    private void PutBack(MessageEnvelope envelope) => _state.Queue.AddFirst(envelope);

    private static long Deadline(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan || duration == TimeSpan.MaxValue
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

    private static TimeSpan Until(long deadline) =>
        deadline == long.MaxValue
            ? Timeout.InfiniteTimeSpan
            : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Math.Max(deadline, Stopwatch.GetTimestamp()));
}
