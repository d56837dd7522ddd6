using System.Globalization;

namespace ActorSync.Tests.Support;

/// <summary>
/// How long and how hard the torture test runs (issue 9). By default a short CI run; <c>ACTORSYNC_SOAK_MINUTES=N</c> makes
/// the workload last N minutes (a soak), and <c>ACTORSYNC_TORTURE_SEED=S</c> replays the run printed with seed S.
/// </summary>
public sealed record TortureSettings(int Seed, TimeSpan Workload, int Writers, int KeySpace, TimeSpan MinFaultGap, TimeSpan MaxFaultGap, bool Soak)
{
    public const string SeedVariable = "ACTORSYNC_TORTURE_SEED";
    public const string SoakVariable = "ACTORSYNC_SOAK_MINUTES";

    /// <summary>When set, the service's whole log is written to this file at the end (for a soak's report).</summary>
    public const string LogVariable = "ACTORSYNC_TORTURE_LOG";

    /// <summary>The settings from the environment: CI defaults unless a soak or a seed is asked for.</summary>
    public static TortureSettings FromEnvironment()
    {
        var seedText = Environment.GetEnvironmentVariable(SeedVariable);
        var seed = string.IsNullOrWhiteSpace(seedText)
            ? Random.Shared.Next(1, int.MaxValue)
            : int.Parse(seedText, CultureInfo.InvariantCulture);
        var soakText = Environment.GetEnvironmentVariable(SoakVariable);
        if (!string.IsNullOrWhiteSpace(soakText))
        {
            var minutes = double.Parse(soakText, CultureInfo.InvariantCulture);
            return new TortureSettings(
                seed, TimeSpan.FromMinutes(minutes), Writers: 4, KeySpace: 20_000, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), Soak: true);
        }

        return new TortureSettings(seed, TimeSpan.FromSeconds(70), Writers: 3, KeySpace: 3_000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), Soak: false);
    }

    public override string ToString() =>
        $"seed {Seed} (replay with {SeedVariable}={Seed}), workload {Workload.TotalMinutes:0.##} min, {Writers} writers, " +
        $"key space {KeySpace}{(Soak ? ", soak" : "")}";
}
