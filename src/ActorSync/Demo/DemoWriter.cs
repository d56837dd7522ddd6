using System.Diagnostics;
using Npgsql;

namespace ActorSync.Demo;

/// <summary>
/// The demo's writer: the pgbench scripts of <c>db/demo/writer</c>, picked by weight at a steady rate on one connection
/// at a time, as the compose <c>writer</c> service runs them with pgbench. Orders are placed, moved on and cancelled,
/// customers change, sign up and leave, products are repriced, and now and then a row of a few megabytes is written.
/// </summary>
public sealed class DemoWriter(NpgsqlDataSource shop, int transactionsPerSecond)
{
    /// <summary>The scripts and their weights, as docker-compose.yml passes them to pgbench (a test keeps the two equal).</summary>
    public static readonly IReadOnlyList<(string Script, int Weight)> Mix =
    [
        ("place_order", 35), ("advance_order", 25), ("cancel_order", 8), ("customer_update", 15),
        ("customer_signup", 4), ("customer_leave", 2), ("product_update", 10), ("large_row", 1),
    ];

    private readonly IReadOnlyList<WriterScript> _scripts = WriterScript.LoadEmbedded(Mix.Select(m => m.Script));
    private readonly long[] _counts = new long[Mix.Count];
    private readonly Stopwatch _clock = new();

    /// <summary>Transactions committed so far.</summary>
    public long Transactions => Counts.Sum(c => c.Count);

    /// <summary>Time spent writing (stops when the writer stops).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Committed transactions per script, in <see cref="Mix"/> order.</summary>
    public IReadOnlyList<(string Script, long Count)> Counts =>
        Mix.Select((m, i) => (m.Script, Interlocked.Read(ref _counts[i]))).ToArray();

    /// <summary>
    /// Writes until <paramref name="stop"/> is cancelled. The transaction under way then finishes (it is never cut in
    /// half); a database error ends the writer with that error.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random();
        var total = Mix.Sum(m => m.Weight);
        var interval = TimeSpan.FromSeconds(1.0 / transactionsPerSecond);
        _clock.Start();
        try
        {
            for (long n = 1; !stop.IsCancellationRequested; n++)
            {
                var pick = random.Next(total);
                var index = 0;
                while (pick >= Mix[index].Weight)
                {
                    pick -= Mix[index++].Weight;
                }

                await using (var connection = await shop.OpenConnectionAsync(CancellationToken.None))
                {
                    await _scripts[index].RunAsync(connection, random, CancellationToken.None);
                }

                Interlocked.Increment(ref _counts[index]);

                // A steady rate, as pgbench --rate: behind schedule (a large row took long), it goes on at once.
                var wait = (interval * n) - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break; // stopped while waiting for the next transaction's turn
                    }
                }
            }
        }
        finally
        {
            _clock.Stop();
        }
    }
}
