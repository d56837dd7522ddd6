using ActorSync.Configuration;

namespace ActorSync.Actors;

/// <summary>
/// What one supervised actor remembers across its restarts: how often it failed, the last error, and how long to wait
/// before working again. The guardian restarts a failed actor at once (one-for-one); the new incarnation reports
/// itself <c>failing</c> with the last error and waits the backoff delay before it retries — so its status can be
/// asked at any time, also between attempts. Only the actor's own incarnations touch it, one after the other.
/// </summary>
public sealed class RestartHistory
{
    private static readonly Random Jitter = new();

    /// <summary>Restarts since the process started.</summary>
    public int Restarts { get; private set; }

    /// <summary>Failures since the last success; 0 when healthy.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>The last failure, kept until the next success.</summary>
    public SyncError? LastError { get; private set; }

    /// <summary>Records a failure; the next incarnation waits <see cref="NextDelay"/> before retrying.</summary>
    public void RecordFailure(Exception error)
    {
        Restarts++;
        ConsecutiveFailures++;
        LastError = new SyncError(ErrorText.Describe(error), DateTimeOffset.UtcNow);
    }

    /// <summary>Records a success: the next failure starts the backoff from its minimum again.</summary>
    public void RecordSuccess()
    {
        ConsecutiveFailures = 0;
        LastError = null;
    }

    /// <summary>
    /// Akka's backoff formula: failure n waits <c>min(max, min × 2^(n-1)) × (1 + r × random-factor)</c>, r uniform in
    /// [0, 1); the cap comes before the jitter, and an overflow yields the maximum. Zero when healthy.
    /// </summary>
    public TimeSpan NextDelay(BackoffSettings backoff)
    {
        if (ConsecutiveFailures == 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(ConsecutiveFailures - 1, 62);
        var capped = backoff.Min.TotalMilliseconds * Math.Pow(2, exponent);
        if (double.IsNaN(capped) || double.IsInfinity(capped) || capped > backoff.Max.TotalMilliseconds || capped < 0)
        {
            capped = backoff.Max.TotalMilliseconds;
        }

        double r;
        lock (Jitter)
        {
            r = Jitter.NextDouble();
        }

        return TimeSpan.FromMilliseconds(capped * (1 + (r * backoff.RandomFactor)));
    }
}
