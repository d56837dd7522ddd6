using ActorSync.Actors.Event;

namespace ActorSync.Actors.TestKit;

public abstract partial class TestKitBase
{
    /// <summary>Expects a message of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="duration">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    /// <returns>The message.</returns>
    public T ExpectMsg<T>(TimeSpan? duration = null, string? hint = null) => ExpectMsgCore<T>(duration, null, hint);

    /// <summary>Expects a message equal to <paramref name="message"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="message">The expected message.</param>
    /// <param name="timeout">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    /// <returns>The received message.</returns>
    public T ExpectMsg<T>(T message, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ExpectMsgCore<T>(timeout, (m, _) => Equals(m, message) ? null : $"expected {Describe(message)} but got {Describe(m)}", hint);
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> that satisfies <paramref name="isMessage"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="isMessage">The condition.</param>
    /// <param name="timeout">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    /// <returns>The message.</returns>
    public T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        return ExpectMsgCore<T>(timeout, (m, _) => isMessage(m) ? null : $"{Describe(m)} does not satisfy the condition", hint);
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> for which <paramref name="assert"/> does not throw.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="assert">Assertions on the message.</param>
    /// <param name="timeout">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    /// <returns>The message.</returns>
    public T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(assert);
        return ExpectMsgCore<T>(timeout, (m, _) =>
        {
            assert(m);
            return null;
        }, hint);
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> whose message and sender satisfy <paramref name="isMessageAndSender"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="isMessageAndSender">The condition.</param>
    /// <param name="timeout">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    /// <returns>The message.</returns>
    public T ExpectMsg<T>(Func<T, IActorRef, bool> isMessageAndSender, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isMessageAndSender);
        return ExpectMsgCore<T>(timeout, (m, s) => isMessageAndSender(m, s) ? null : $"{Describe(m)} from {s} does not satisfy the condition", hint);
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> sent by <paramref name="sender"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="sender">The expected sender.</param>
    /// <param name="timeout">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    /// <returns>The message.</returns>
    public T ExpectMsgFrom<T>(IActorRef sender, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return ExpectMsgCore<T>(timeout, (m, s) => s.Equals(sender) ? null : $"expected sender {sender} but {Describe(m)} came from {s}", hint);
    }

    /// <summary>Expects one message equal to any of <paramref name="messages"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="messages">The candidates.</param>
    /// <returns>The message.</returns>
    public T ExpectMsgAnyOf<T>(params T[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return ExpectMsgCore<T>(null, (m, _) => messages.Contains(m) ? null : $"{Describe(m)} is none of [{string.Join(", ", messages)}]", null);
    }

    /// <summary>Expects messages equal to <paramref name="messages"/>, in any order, within the remaining time or the default.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="messages">The expected messages.</param>
    /// <returns>The received messages, in arrival order.</returns>
    public IReadOnlyCollection<T> ExpectMsgAllOf<T>(params T[] messages) => ExpectMsgAllOfCore(RemainingOrDefault, messages);

    /// <summary>Expects messages equal to <paramref name="messages"/>, in any order, within <paramref name="max"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="max">The total time (dilated).</param>
    /// <param name="messages">The expected messages.</param>
    /// <returns>The received messages, in arrival order.</returns>
    public IReadOnlyCollection<T> ExpectMsgAllOf<T>(TimeSpan max, params T[] messages) => ExpectMsgAllOfCore(Dilated(max), messages);

    private IReadOnlyCollection<T> ExpectMsgAllOfCore<T>(TimeSpan max, T[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var stop = Deadline(max);
        var missing = messages.ToList();
        var received = new List<T>();
        while (missing.Count > 0)
        {
            if (!TryTake(Until(stop), CancellationToken.None, out var envelope))
            {
                throw Fail($"Timeout waiting for [{string.Join(", ", missing)}]; received [{string.Join(", ", received)}]");
            }

            if (envelope!.Message is not T typed || !missing.Remove(typed))
            {
                throw Fail($"Unexpected {Describe(envelope.Message)} while waiting for [{string.Join(", ", missing)}]");
            }

            received.Add(typed);
        }

        return received;
    }

    /// <summary>Fails if any message arrives within <paramref name="duration"/>, or one is already queued.</summary>
    /// <param name="duration">The quiet period (dilated).</param>
    public void ExpectNoMsg(TimeSpan duration)
    {
        if (TryTake(Dilated(duration), CancellationToken.None, out var envelope))
        {
            throw Fail($"Expected no message during {Dilated(duration)}, but received {Describe(envelope!.Message)} from {envelope.Sender}");
        }
    }

    /// <summary>Fails if any message arrives within <paramref name="milliseconds"/> ms.</summary>
    /// <param name="milliseconds">The quiet period in milliseconds (dilated).</param>
    public void ExpectNoMsg(int milliseconds) => ExpectNoMsg(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Fails if any message arrives within the remaining time, or <see cref="TestKitSettings.ExpectNoMessageDefault"/>.</summary>
    public void ExpectNoMsg()
    {
        var duration = _end is null ? Dilated(TestKitSettings.ExpectNoMessageDefault) : Remaining;
        if (TryTake(duration, CancellationToken.None, out var envelope))
        {
            throw Fail($"Expected no message during {duration}, but received {Describe(envelope!.Message)} from {envelope.Sender}");
        }
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="target"/>; the TestActor must <see cref="Watch"/> it first.</summary>
    /// <param name="target">The actor.</param>
    /// <param name="timeout">The timeout (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ExpectMsgCore<Terminated>(
            timeout, (m, _) => m.ActorRef.Equals(target) ? null : $"expected Terminated of {target} but got one of {m.ActorRef}", hint);
    }

    /// <summary>Skips messages until one satisfies <paramref name="isMessage"/>, which is returned.</summary>
    /// <param name="isMessage">The condition.</param>
    /// <param name="max">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    public object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string hint = "") => FishForMessage<object>(isMessage, max, hint);

    /// <summary>Skips messages until one of type <typeparamref name="T"/> satisfies <paramref name="isMessage"/>, which is returned.</summary>
    /// <typeparam name="T">The wanted type.</typeparam>
    /// <param name="isMessage">The condition.</param>
    /// <param name="max">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="hint">Added to the failure message.</param>
    public T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? max = null, string hint = "")
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var total = RemainingOrDilated(max);
        var stop = Deadline(total);
        while (true)
        {
            if (!TryTake(Until(stop), CancellationToken.None, out var envelope))
            {
                throw Fail($"Timeout ({total}) while fishing for a message {hint}");
            }

            if (envelope!.Message is T typed && isMessage(typed))
            {
                return typed;
            }
        }
    }

    private T ExpectMsgCore<T>(TimeSpan? timeout, Func<T, IActorRef, string?>? check, string? hint)
    {
        var wait = RemainingOrDilated(timeout);
        if (!TryTake(wait, CancellationToken.None, out var envelope))
        {
            throw Fail($"Timeout ({wait}) while waiting for a message of type {typeof(T)}{Hint(hint)}");
        }

        if (envelope!.Message is not T typed)
        {
            throw Fail($"Expected a message of type {typeof(T)}{Hint(hint)}, but received {Describe(envelope.Message)} from {envelope.Sender}");
        }

        if (check?.Invoke(typed, envelope.Sender) is { } problem)
        {
            throw Fail($"Unexpected message{Hint(hint)}: {problem}");
        }

        return typed;
    }

    private static string Hint(string? hint) => string.IsNullOrEmpty(hint) ? string.Empty : $" ({hint})";

    private static string Describe(object? message) => message is null ? "null" : $"<{message}> ({message.GetType().Name})";
}
