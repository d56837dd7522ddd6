using System.Globalization;

namespace ActorSync.Actors.TestKit;

/// <summary>
/// Timeouts of the TestKit. Every timeout is multiplied by <see cref="TestTimeFactor"/>, read from the
/// <c>ACTORSYNC_TEST_TIMEFACTOR</c> environment variable (default 1), to make tests pass on slow machines.
/// </summary>
public sealed record TestKitSettings
{
    /// <summary>The environment variable holding the time factor.</summary>
    public const string TimeFactorVariable = "ACTORSYNC_TEST_TIMEFACTOR";

    /// <summary>Settings with the time factor from the environment.</summary>
    public static TestKitSettings Default { get; } = new() { TestTimeFactor = ReadTimeFactor() };

    /// <summary>The factor every timeout is multiplied by.</summary>
    public double TestTimeFactor { get; init; } = 1.0;

    /// <summary>The timeout of an expectation without one, outside <c>Within</c> (3 s, as in Akka.NET).</summary>
    public TimeSpan SingleExpectDefault { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The duration of <c>ExpectNoMsg()</c> without arguments, outside <c>Within</c>.</summary>
    public TimeSpan ExpectNoMessageDefault { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long disposing a TestKit waits for its actor system to terminate.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    private static double ReadTimeFactor()
    {
        var value = Environment.GetEnvironmentVariable(TimeFactorVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return 1.0;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || factor <= 0)
        {
            throw new InvalidOperationException($"{TimeFactorVariable} must be a positive number, e.g. 2 or 1.5; it is '{value}'.");
        }

        return factor;
    }
}
