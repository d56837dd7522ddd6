using System.Diagnostics;

namespace ActorSync.Actors.TestKit;

public abstract partial class TestKitBase
{
    /// <summary>Runs <paramref name="action"/>, which must finish within <paramref name="max"/>; expectations inside inherit the deadline.</summary>
    /// <param name="max">The upper bound (dilated).</param>
    /// <param name="action">The block.</param>
    /// <param name="epsilonValue">Tolerance added to the upper bound.</param>
    public void Within(TimeSpan max, Action action, TimeSpan? epsilonValue = null) => Within(TimeSpan.Zero, max, action, epsilonValue);

    /// <summary>
    /// Runs <paramref name="action"/>, which must take between <paramref name="min"/> and <paramref name="max"/>;
    /// expectations inside inherit the remaining deadline. Nested blocks never extend an outer deadline.
    /// </summary>
    /// <param name="min">The lower bound (not dilated).</param>
    /// <param name="max">The upper bound (dilated).</param>
    /// <param name="action">The block.</param>
    /// <param name="epsilonValue">Tolerance added to the upper bound.</param>
    public void Within(TimeSpan min, TimeSpan max, Action action, TimeSpan? epsilonValue = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        Within(min, max, () =>
        {
            action();
            return true;
        }, epsilonValue);
    }

    /// <summary>Runs <paramref name="function"/> within <paramref name="max"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="max">The upper bound (dilated).</param>
    /// <param name="function">The block.</param>
    /// <param name="epsilonValue">Tolerance added to the upper bound.</param>
    public T Within<T>(TimeSpan max, Func<T> function, TimeSpan? epsilonValue = null) => Within(TimeSpan.Zero, max, function, epsilonValue);

    /// <summary>Runs <paramref name="function"/>, which must take between <paramref name="min"/> and <paramref name="max"/>, and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="min">The lower bound (not dilated).</param>
    /// <param name="max">The upper bound (dilated).</param>
    /// <param name="function">The block.</param>
    /// <param name="epsilonValue">Tolerance added to the upper bound.</param>
    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> function, TimeSpan? epsilonValue = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var start = Stopwatch.GetTimestamp();
        var dilatedMax = Dilated(max);
        var outerEnd = _end;
        var end = start + (long)(dilatedMax.TotalSeconds * Stopwatch.Frequency);
        if (outerEnd is { } outer && outer < end)
        {
            end = outer;
        }

        var allowed = Stopwatch.GetElapsedTime(start, end);
        _end = end;
        T result;
        try
        {
            result = function();
        }
        finally
        {
            _end = outerEnd;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        if (elapsed < min)
        {
            throw Fail($"The block took {elapsed}, less than the minimum of {min}");
        }

        if (elapsed > allowed + (epsilonValue ?? TimeSpan.Zero))
        {
            throw Fail($"The block took {elapsed}, more than the allowed {allowed}");
        }

        return result;
    }

    /// <summary>
    /// Re-runs <paramref name="assertion"/> every <paramref name="interval"/> until it stops throwing; at
    /// <paramref name="duration"/> it fails with the last exception.
    /// </summary>
    /// <param name="assertion">The assertion.</param>
    /// <param name="duration">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="interval">The pause between attempts; 100 ms by default.</param>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var stop = Deadline(RemainingOrDilated(duration));
        var pause = interval ?? TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (Until(stop) > TimeSpan.Zero)
            {
                Thread.Sleep(Min(pause, Until(stop)));
            }
        }
    }

    /// <summary>Waits until <paramref name="conditionIsFulfilled"/> returns true, polling every 100 ms, within the remaining time or the default.</summary>
    /// <param name="conditionIsFulfilled">The condition.</param>
    public void AwaitCondition(Func<bool> conditionIsFulfilled) => AwaitCondition(conditionIsFulfilled, null, null, null);

    /// <summary>Waits until <paramref name="conditionIsFulfilled"/> returns true within <paramref name="max"/>.</summary>
    /// <param name="conditionIsFulfilled">The condition.</param>
    /// <param name="max">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="message">Added to the failure message.</param>
    public void AwaitCondition(Func<bool> conditionIsFulfilled, TimeSpan? max, string? message = null) =>
        AwaitCondition(conditionIsFulfilled, max, null, message);

    /// <summary>Waits until <paramref name="conditionIsFulfilled"/> returns true, polling every <paramref name="interval"/>.</summary>
    /// <param name="conditionIsFulfilled">The condition.</param>
    /// <param name="max">The total time (dilated); remaining time or default when <see langword="null"/>.</param>
    /// <param name="interval">The pause between checks; 100 ms by default.</param>
    /// <param name="message">Added to the failure message.</param>
    public void AwaitCondition(Func<bool> conditionIsFulfilled, TimeSpan? max, TimeSpan? interval, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(conditionIsFulfilled);
        var total = RemainingOrDilated(max);
        var stop = Deadline(total);
        var pause = interval ?? TimeSpan.FromMilliseconds(100);
        while (!conditionIsFulfilled())
        {
            var left = Until(stop);
            if (left <= TimeSpan.Zero)
            {
                throw Fail($"Timeout {total} expired while waiting for a condition{Hint(message)}");
            }

            Thread.Sleep(Min(pause, left));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
