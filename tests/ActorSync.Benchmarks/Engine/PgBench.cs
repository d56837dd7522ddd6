using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorSync.Postgres;

namespace ActorSync.Benchmarks.Engine;

/// <summary>pgbench against the source server, as the peers' harness runs it (W1: TPC-B, scale 10).</summary>
public sealed partial class PgBench(TemporaryPostgresServer server)
{
    public static readonly string[] Tables = ["pgbench_branches", "pgbench_tellers", "pgbench_accounts", "pgbench_history"];

    public const string TargetDdl = """
        CREATE TABLE pgbench_accounts (aid integer PRIMARY KEY, bid integer, abalance integer, filler character(84));
        CREATE TABLE pgbench_branches (bid integer PRIMARY KEY, bbalance integer, filler character(88));
        CREATE TABLE pgbench_tellers (tid integer PRIMARY KEY, bid integer, tbalance integer, filler character(84));
        CREATE TABLE pgbench_history (tid integer, bid integer, aid integer, delta integer, mtime timestamp without time zone,
                                      filler character(22), hid bigint PRIMARY KEY);
        """;

    private readonly string _pgbench = Path.Combine(PostgresBinaries.Find().BinDirectory, "pgbench");

    public static string KeyOf(string table) => table switch
    {
        "pgbench_accounts" => "aid",
        "pgbench_branches" => "bid",
        "pgbench_tellers" => "tid",
        _ => "hid",
    };

    public static string ColumnsOf(string table) => table == "pgbench_history" ? "tid, bid, aid, delta, mtime, filler, hid" : "*";

    public Task InitializeAsync(int scale) => RunAsync(["-i", "-s", scale.ToString(CultureInfo.InvariantCulture), "-q"]);

    /// <summary>Runs TPC-B and returns the TPS pgbench reports (without initial connection time).</summary>
    public async Task<double> RunAsync(int clients, int seconds, int? rate)
    {
        var args = new List<string> { "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture) };
        if (rate is { } r)
        {
            args.AddRange(["-R", r.ToString(CultureInfo.InvariantCulture)]);
        }

        var output = await RunAsync(args);
        var match = Tps().Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no TPS:\n{output}");
    }

    private async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(_pgbench)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.UserName }
                     .Concat(arguments).Append("bench"))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = server.Password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"pgbench failed ({process.ExitCode}):\n{output}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
