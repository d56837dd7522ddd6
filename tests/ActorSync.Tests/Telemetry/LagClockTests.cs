using ActorSync.Telemetry;

namespace ActorSync.Tests.Telemetry;

/// <summary><see cref="LagClock"/> on a clock the test moves: what <c>actorsync_lag_seconds</c> reads in each state.</summary>
public sealed class LagClockTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Idle_is_zero_and_stays_zero_while_nothing_is_pending()
    {
        var lag = new LagClock(_time);
        lag.Observed(0, null);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, lag.Seconds());
    }

    [Fact]
    public void Pending_changes_age_between_observations_from_the_oldest_one()
    {
        var lag = new LagClock(_time);
        lag.Observed(10, _time.GetUtcNow() - TimeSpan.FromSeconds(3));
        Assert.Equal(3, lag.Seconds());
        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(10, lag.Seconds());
        lag.Observed(0, null);
        Assert.Equal(0, lag.Seconds());
    }

    [Fact]
    public void Failing_grows_from_the_last_successful_observation_when_nothing_was_pending_then()
    {
        var lag = new LagClock(_time);
        lag.Observed(0, null);
        _time.Advance(TimeSpan.FromSeconds(4));
        lag.Failed();
        Assert.Equal(4, lag.Seconds());
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(64, lag.Seconds());

        // Back: the source read again says what is pending; nothing, so 0.
        lag.Recovered();
        lag.Observed(0, null);
        Assert.Equal(0, lag.Seconds());
    }

    [Fact]
    public void Failing_with_changes_pending_keeps_the_older_of_the_two()
    {
        var lag = new LagClock(_time);
        lag.Observed(5, _time.GetUtcNow() - TimeSpan.FromSeconds(30));
        lag.Failed();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(40, lag.Seconds());
    }

    [Fact]
    public void A_source_unreachable_from_the_start_counts_from_the_clock_creation()
    {
        var lag = new LagClock(_time);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, lag.Seconds());
        lag.Failed();
        Assert.Equal(2, lag.Seconds());
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
