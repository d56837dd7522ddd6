namespace ActorSync.Hocon.Tests;

public sealed class HoconUnitsTests
{
    // Spec, "Duration format": "bare numbers are taken to be in milliseconds already, while strings are parsed as a
    // number plus an optional unit string" with the units ns ... d, "case sensitive and must be lowercase".
    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("200 ms", 200)]
    [InlineData("1 minute", 60_000)]
    [InlineData("  1.5h ", 5_400_000)]
    [InlineData("2 days", 172_800_000)]
    [InlineData("250", 250)]
    [InlineData("3000 micros", 3)]
    [InlineData("1e3 ms", 1_000)]
    public void Durations_follow_the_units_format(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), HoconDuration.Parse(text));
    }

    [Fact]
    public void Nanoseconds_are_truncated_to_ticks()
    {
        Assert.Equal(TimeSpan.FromTicks(48789553554352722), HoconDuration.Parse("4878955355435272204ns"));
    }

    [Theory]
    [InlineData("5S", "unknown unit 'S'")]
    [InlineData("5 sec", "unknown unit 'sec'")]
    [InlineData("soon", "expected a duration")]
    [InlineData("5 s s", "expected a duration")]
    [InlineData("", "expected a duration")]
    [InlineData("99999999999 d", "out of range")]
    public void Bad_durations_say_what_was_expected(string text, string fragment)
    {
        Assert.False(HoconDuration.TryParse(text, out _, out var error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => HoconDuration.Parse(text));
    }

    // Spec, "Size in bytes format": powers of ten for kB, MB...; powers of two for K, Ki, KiB, M...; bare numbers are bytes.
    [Theory]
    [InlineData("64MiB", 64L * 1024 * 1024)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("10 MB", 10_000_000)]
    [InlineData("1 kilobyte", 1000)]
    [InlineData("2 gibibytes", 2L * 1024 * 1024 * 1024)]
    [InlineData("0.5M", 524_288)]
    [InlineData("1E", 1L << 60)]
    [InlineData("100", 100)]
    [InlineData("7 bytes", 7)]
    public void Sizes_follow_the_units_format(string text, long bytes)
    {
        Assert.Equal(bytes, HoconSize.Parse(text));
    }

    [Theory]
    [InlineData("1YB", "more than")]
    [InlineData("8EiB", "more than")]
    [InlineData("5 kb", "unknown unit 'kb'")]
    [InlineData("big", "expected a size")]
    public void Bad_sizes_say_what_was_expected(string text, string fragment)
    {
        Assert.False(HoconSize.TryParse(text, out _, out var error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }
}
