using ActorSync.Actors;
using ActorSync.Configuration;

namespace ActorSync.Tests.Actors;

/// <summary>The backoff a failing actor waits out before it retries (Akka's formula: exponential, capped, then jittered).</summary>
public sealed class RestartHistoryTests
{
    private static readonly BackoffSettings Backoff = new() { Min = TimeSpan.FromMilliseconds(100), Max = TimeSpan.FromSeconds(1), RandomFactor = 0.2 };

    [Fact]
    public void A_healthy_actor_waits_nothing_and_each_failure_doubles_the_wait_up_to_the_ceiling()
    {
        var history = new RestartHistory();
        Assert.Equal(TimeSpan.Zero, history.NextDelay(Backoff));

        double[] expected = [100, 200, 400, 800, 1000, 1000];
        foreach (var floor in expected)
        {
            history.RecordFailure(new InvalidOperationException("boom"));
            var delay = history.NextDelay(Backoff).TotalMilliseconds;
            Assert.InRange(delay, floor, floor * 1.2);
        }

        Assert.Equal(6, history.ConsecutiveFailures);
        Assert.Equal("boom", history.LastError?.Message);
    }

    [Fact]
    public void A_success_starts_the_backoff_from_its_minimum_again_and_keeps_the_restart_count()
    {
        var history = new RestartHistory();
        for (var i = 0; i < 40; i++)
        {
            history.RecordFailure(new InvalidOperationException("boom"));
        }

        Assert.InRange(history.NextDelay(Backoff).TotalMilliseconds, 1000, 1200);
        history.RecordSuccess();
        Assert.Equal(TimeSpan.Zero, history.NextDelay(Backoff));
        Assert.Null(history.LastError);
        Assert.Equal(40, history.Restarts);

        history.RecordFailure(new InvalidOperationException("again"));
        Assert.InRange(history.NextDelay(Backoff).TotalMilliseconds, 100, 120);
    }
}
