using System.Diagnostics;

namespace ActorSync.Tests.Support;

/// <summary>Polls an assertion until it passes or the time is up (databases converge; there is no message to await).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(
        30 * double.Parse(Environment.GetEnvironmentVariable("ACTORSYNC_TEST_TIMEFACTOR") ?? "1", System.Globalization.CultureInfo.InvariantCulture));

    public static async Task AssertAsync(Func<Task> assertion, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (clock.Elapsed < limit)
            {
                await Task.Delay(50);
            }
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var value = await read();
            if (done(value) || clock.Elapsed > limit)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
