using System.Globalization;
using ActorSync.Capture;

namespace ActorSync.Benchmarks.Engine;

/// <summary>Options shared by the bench verbs: <c>--capture row|statement|auto|wal --rows N --seconds S --clients C --rate R --batch-size B --batch-delay MS --parallelism P --snapshot-indexes defer|keep --reps N --group single|group|both --wal-apply rows|reread --alloc-profile on</c>.</summary>
public sealed record BenchOptions
{
    public CaptureMode Capture { get; init; } = CaptureMode.Row;

    public int Rows { get; init; } = 1_000_000;

    public int Seconds { get; init; } = 30;

    public int Clients { get; init; } = 8;

    public int Rate { get; init; } = 300;

    public int BatchSize { get; init; } = 1_000_000;

    public int Reps { get; init; } = 1;

    /// <summary>The sync's <c>batch-delay</c> in milliseconds (null: the configuration's default).</summary>
    public int? BatchDelayMs { get; init; }

    /// <summary>The syncs' <c>snapshot-parallelism</c> (null: the configuration's default, the core count).</summary>
    public int? Parallelism { get; init; }

    /// <summary>The syncs' <c>snapshot-indexes</c> (null: the configuration's default, defer).</summary>
    public string? SnapshotIndexes { get; init; }

    /// <summary>
    /// <c>--group single|group|both</c> for <c>engine oltp</c> (issue #19): the four pgbench tables as four single syncs,
    /// as one group, or both alternating in one sitting (<c>--reps</c> pairs). Null: single syncs, as before.
    /// </summary>
    public string? Group { get; init; }

    /// <summary><c>--wal-apply rows|reread</c> with <c>--capture wal</c>: the source database's <c>wal-apply</c>.</summary>
    public Configuration.WalApply WalApply { get; init; } = Configuration.WalApply.Rows;

    /// <summary><c>--alloc-profile on</c> for <c>engine bulk</c>: what the engine allocates, by type (sampled).</summary>
    public bool AllocationProfile { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--capture" => options with { Capture = Enum.Parse<CaptureMode>(value, ignoreCase: true) },
                "--rows" => options with { Rows = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--clients" => options with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch-size" => options with { BatchSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch-delay" => options with { BatchDelayMs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--parallelism" => options with { Parallelism = int.Parse(value, CultureInfo.InvariantCulture) },
                "--snapshot-indexes" => options with { SnapshotIndexes = value },
                "--group" => options with { Group = value },
                "--wal-apply" => options with { WalApply = Enum.Parse<Configuration.WalApply>(value, ignoreCase: true) },
                "--alloc-profile" => options with { AllocationProfile = value == "on" },
                "--reps" => options with { Reps = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return options;
    }
}
