using System.Collections.Concurrent;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace ActorSync.Tests.Support;

/// <summary>
/// Concurrent writers on the source tables of the torture test (issue 9), each driven by its own seeded random source:
/// inserts, upserts, updates of key ranges, deletes, key changes, multi-statement transactions, rollbacks, savepoints,
/// bulk statements, rows of several MB and, now and then, TRUNCATE. Writers ride out the injected faults like an
/// application would: a transaction cut by a restarted server or a terminated backend is retried later, one that loses
/// a race (duplicate key, deadlock) is dropped. Any other error is unexpected and reported.
/// </summary>
public sealed class RandomWorkload(NpgsqlDataSource source, TortureSettings settings, TortureFigures figures)
{
    /// <summary>Every value a writer puts in <c>note</c>; quotes, backslashes, control characters and Unicode on purpose.</summary>
    private static readonly string?[] Notes =
    [
        null, "", "plain", "it's", "back\\slash", "tab\there", "new\nline", "\"quoted\"", "x\"; DROP TABLE y; --", "ünïcödé ☃ 漢字",
        "$$dollar$$", "\\N", "NULL", "ends with space ", "%_like_%",
    ];

    private static readonly string[] Regions = ["north", "south", "ëast", "West"];

    private readonly ConcurrentQueue<string> _unexpected = new();
    private volatile bool _truncateHeld;
    private int _mayTruncate;
    private volatile TaskCompletionSource? _paused;

    /// <summary>The source tables written: name and whether the key is (region, id) rather than id.</summary>
    public static readonly (string Name, bool Composite)[] Tables = [("t_same", false), ("t_cross", false), ("t_comp", true)];

    /// <summary>Errors no fault explains (permission denied, a missing table ...): the test fails with them.</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    /// <summary>The column definitions of a source (and target) table.</summary>
    public static string Columns(bool composite) => composite
        ? "region text NOT NULL, id bigint NOT NULL, grp int NOT NULL, note text, amount numeric(14,2), tags text[], doc jsonb, payload bytea, at timestamptz, PRIMARY KEY (region, id)"
        : "id bigint PRIMARY KEY, grp int NOT NULL, note text, amount numeric(14,2), tags text[], doc jsonb, payload bytea, at timestamptz";

    /// <summary>
    /// Holds TRUNCATE back, once every transaction that may still truncate has ended, until the result is disposed: a
    /// fault that puts a row in place for the service to trip over needs it to stay there.
    /// </summary>
    public async Task<IDisposable> HoldTruncatesAsync()
    {
        _truncateHeld = true;
        while (Volatile.Read(ref _mayTruncate) > 0)
        {
            await Task.Delay(10);
        }

        return new TruncateHold(this);
    }

    /// <summary>
    /// Holds every writer before its next transaction until the result is disposed (transactions in flight finish):
    /// a WAL-captured source is not slowed by its capture, so the torture's writers can outrun the slot on a small
    /// machine, and a fault that needs the stream to reach a row first lets it catch up.
    /// </summary>
    public IDisposable PauseWriters()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _paused = gate;
        return new WriterPause(this, gate);
    }

    /// <summary>Fills every table with some rows before ActorSync starts, so its snapshot has work.</summary>
    public async Task SeedAsync(int rows)
    {
        foreach (var (table, composite) in Tables)
        {
            await using var command = source.CreateCommand(
                $"INSERT INTO {table} ({(composite ? "region, " : "")}id, grp, note, amount, tags, doc, at) " +
                $"SELECT {(composite ? "(ARRAY['north','south','ëast','West'])[1 + g % 4], " : "")}g, g % 100, 'seed ' || g, g / 7.0, " +
                "ARRAY['a', 'b'], jsonb_build_object('seed', g), now() FROM generate_series(1, $1) g");
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = rows });
            figures.Add("rows.seeded", await command.ExecuteNonQueryAsync());
        }
    }

    /// <summary>Runs the writers until <paramref name="stop"/> is cancelled; each transaction in flight finishes first.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, settings.Writers).Select(i => Task.Run(() => WriteAsync(i, stop), CancellationToken.None)));

    private async Task WriteAsync(int writer, CancellationToken stop)
    {
        var random = new Random(unchecked((settings.Seed * 31) + writer));
        while (!stop.IsCancellationRequested)
        {
            if (_paused is { } pause)
            {
                try
                {
                    await pause.Task.WaitAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    // Stopped while paused.
                }

                continue;
            }

            // Registered before the hold is looked at again, so HoldTruncatesAsync either sees this one or is seen by it.
            var mayTruncate = false;
            if (!_truncateHeld)
            {
                Interlocked.Increment(ref _mayTruncate);
                mayTruncate = !_truncateHeld;
                if (!mayTruncate)
                {
                    Interlocked.Decrement(ref _mayTruncate);
                }
            }

            var transaction = new WriterTransaction(random, settings, writer, mayTruncate);
            try
            {
                await using var connection = await source.OpenConnectionAsync(CancellationToken.None);
                var rows = await transaction.RunAsync(connection);
                figures.Add("tx." + transaction.Kind);
                figures.Add("rows.written", rows);
                figures.Add("rows.big", transaction.BigRows);
            }
            catch (PostgresException race) when (race.SqlState is "23505" or "40P01" or "40001")
            {
                figures.Add("tx.lost-race");
            }
            catch (Exception error) when (IsFault(error))
            {
                // A restarted server or a terminated backend: this transaction is gone, the next one reconnects.
                figures.Add("tx.cut-by-fault");
                source.Clear();
                await Task.Delay(100, CancellationToken.None);
            }
            catch (Exception error)
            {
                _unexpected.Enqueue($"writer {writer}, {transaction.Kind}: {error.GetType().Name}: {error.Message}");
                figures.Add("tx.unexpected-error");
                await Task.Delay(100, CancellationToken.None);
            }
            finally
            {
                if (mayTruncate)
                {
                    Interlocked.Decrement(ref _mayTruncate);
                }
            }
        }
    }

    private sealed class TruncateHold(RandomWorkload workload) : IDisposable
    {
        public void Dispose() => workload._truncateHeld = false;
    }

    private sealed class WriterPause(RandomWorkload workload, TaskCompletionSource gate) : IDisposable
    {
        public void Dispose()
        {
            workload._paused = null;
            gate.TrySetResult();
        }
    }

    private static bool IsFault(Exception error) => error switch
    {
        // 57P01 admin shutdown / terminated, 57P02 crash shutdown, 57P03 cannot connect now; 08xxx connection errors.
        PostgresException pg => pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException or IOException or SocketException or TimeoutException => true,
        InvalidOperationException { Source: "Npgsql" } => true,
        _ => false,
    };

    /// <summary>One random transaction of one writer, built from the writer's random source.</summary>
    private sealed class WriterTransaction(Random random, TortureSettings settings, int writer, bool truncateAllowed)
    {
        public string Kind { get; private set; } = "";

        public long BigRows { get; private set; }

        public async Task<long> RunAsync(NpgsqlConnection connection)
        {
            var dice = random.Next(1000);
            Kind = dice switch
            {
                < 460 => "single",
                < 660 => "multi",
                < 760 => "rollback",
                < 860 => "savepoints",
                < 985 => "bulk",
                < 996 => "big-row",
                _ => truncateAllowed ? "truncate" : "single",
            };
            switch (Kind)
            {
                case "single":
                    return await OperationAsync(connection);
                case "bulk":
                    return await BulkAsync(connection, RandomTable());
                case "big-row":
                    return await BigRowAsync(connection);
            }

            await using var transaction = await connection.BeginTransactionAsync();
            long rows = 0;
            switch (Kind)
            {
                case "multi":
                    for (var i = random.Next(2, 9); i > 0; i--)
                    {
                        rows += await OperationAsync(connection);
                    }

                    break;
                case "rollback":
                    for (var i = random.Next(1, 6); i > 0; i--)
                    {
                        await OperationAsync(connection);
                    }

                    await transaction.RollbackAsync();
                    return 0;
                case "savepoints":
                    rows += await OperationAsync(connection);
                    await transaction.SaveAsync("before_undo");
                    for (var i = random.Next(1, 4); i > 0; i--)
                    {
                        await OperationAsync(connection);
                    }

                    await transaction.RollbackAsync("before_undo");
                    rows += await OperationAsync(connection);
                    await transaction.SaveAsync("kept");
                    rows += await OperationAsync(connection);
                    await transaction.ReleaseAsync("kept");
                    break;
                case "truncate":
                    // The marker and the rows inserted after it in one transaction: the target must end with exactly those.
                    var (table, composite) = RandomTable();
                    await ExecuteAsync(connection, $"TRUNCATE {table}");
                    rows += await BulkInsertAsync(connection, table, composite);
                    break;
            }

            await transaction.CommitAsync();
            return rows;
        }

        private (string Name, bool Composite) RandomTable() => Tables[random.Next(Tables.Length)];

        private async Task<long> OperationAsync(NpgsqlConnection connection)
        {
            var (table, composite) = RandomTable();
            var dice = random.Next(100);
            if (dice < 45)
            {
                var row = new Statement();
                var values = NewRow(row, composite);
                return await row.ExecuteAsync(connection, InsertSql(table, composite, values, upsert: dice >= 30));
            }

            var statement = new Statement();
            var region = composite ? statement.Add(Regions[random.Next(Regions.Length)]) : null;
            var id = statement.Add((long)random.Next(1, settings.KeySpace + 1));
            var key = composite ? $"region = {region} AND id" : "id";
            if (dice < 70)
            {
                // A range of keys, so one statement changes several rows (and moves some in or out of the filtered sync).
                return await statement.ExecuteAsync(
                    connection,
                    $"UPDATE {table} SET grp = grp + {statement.Add(random.Next(1, 5))}, note = {statement.Add(Note())}, " +
                    $"amount = coalesce(amount, 0) + 1, doc = jsonb_set(coalesce(doc, '{{}}'), '{{w}}', to_jsonb({statement.Add(writer)}::int)), " +
                    $"at = clock_timestamp() WHERE {key} BETWEEN {id} AND {id} + {statement.Add((long)random.Next(0, 10))}");
            }

            if (dice < 85)
            {
                return await statement.ExecuteAsync(
                    connection, $"DELETE FROM {table} WHERE {key} BETWEEN {id} AND {id} + {statement.Add((long)random.Next(0, 3))}");
            }

            // A key change: the row must leave its old key in the target and appear under the new one.
            var newId = statement.Add((long)random.Next(1, settings.KeySpace + 1));
            if (!composite)
            {
                return await statement.ExecuteAsync(
                    connection, $"UPDATE {table} SET id = {newId} WHERE id = {id} AND NOT EXISTS (SELECT FROM {table} WHERE id = {newId})");
            }

            var newRegion = statement.Add(Regions[random.Next(Regions.Length)]);
            return await statement.ExecuteAsync(
                connection,
                $"UPDATE {table} SET region = {newRegion}, id = {newId} WHERE region = {region} AND id = {id} " +
                $"AND NOT EXISTS (SELECT FROM {table} WHERE region = {newRegion} AND id = {newId})");
        }

        private async Task<long> BulkAsync(NpgsqlConnection connection, (string Name, bool Composite) table)
        {
            if (random.Next(2) == 0)
            {
                return await BulkInsertAsync(connection, table.Name, table.Composite);
            }

            var statement = new Statement();
            var from = statement.Add((long)random.Next(1, settings.KeySpace + 1));
            return await statement.ExecuteAsync(
                connection,
                $"UPDATE {table.Name} SET amount = coalesce(amount, 0) - 1, grp = grp + 1, tags = tags || {statement.Add(new[] { Note() ?? "n" })} " +
                $"WHERE id BETWEEN {from} AND {from} + 400");
        }

        private async Task<long> BulkInsertAsync(NpgsqlConnection connection, string table, bool composite)
        {
            var statement = new Statement();
            var from = statement.Add((long)random.Next(1, settings.KeySpace + 1));
            var count = statement.Add((long)random.Next(10, 500));
            var note = statement.Add(Note() ?? "bulk");
            var region = composite ? statement.Add(Regions[random.Next(Regions.Length)]) + ", " : "";
            return await statement.ExecuteAsync(
                connection,
                $"INSERT INTO {table} ({(composite ? "region, " : "")}id, grp, note, amount, tags, doc, at) " +
                $"SELECT {region}g, g % 97, {note} || g, g / 3.0, ARRAY[{note}, NULL], jsonb_build_object('bulk', g), clock_timestamp() " +
                $"FROM generate_series({from}, {from} + {count}) g ON CONFLICT DO NOTHING");
        }

        private async Task<long> BigRowAsync(NpgsqlConnection connection)
        {
            // Several MB of incompressible bytes: TOASTed out of line, streamed by COPY in many chunks.
            var (table, composite) = RandomTable();
            var payload = new byte[random.Next(512 * 1024, (settings.Soak ? 6 : 3) * 1024 * 1024)];
            random.NextBytes(payload);
            var statement = new Statement();
            var values = NewRow(statement, composite);
            BigRows++;
            return await statement.ExecuteAsync(
                connection,
                $"INSERT INTO {table} ({ColumnList(composite)}, payload) VALUES ({values}, {statement.Add(payload)}) " +
                $"ON CONFLICT ({(composite ? "region, id" : "id")}) DO UPDATE SET payload = EXCLUDED.payload");
        }

        private static string ColumnList(bool composite) => composite ? "region, id, grp, note, amount, tags, doc, at" : "id, grp, note, amount, tags, doc, at";

        private static string InsertSql(string table, bool composite, string values, bool upsert)
        {
            var conflict = upsert
                ? $"ON CONFLICT ({(composite ? "region, id" : "id")}) DO UPDATE SET grp = EXCLUDED.grp, note = EXCLUDED.note, amount = EXCLUDED.amount, " +
                  "tags = EXCLUDED.tags, doc = EXCLUDED.doc, at = EXCLUDED.at"
                : "ON CONFLICT DO NOTHING";
            return $"INSERT INTO {table} ({ColumnList(composite)}) VALUES ({values}) {conflict}";
        }

        /// <summary>Adds a new row's values to <paramref name="statement"/>; returns their placeholders in <see cref="ColumnList"/> order.</summary>
        private string NewRow(Statement statement, bool composite)
        {
            var values = new List<string>();
            if (composite)
            {
                values.Add(statement.Add(Regions[random.Next(Regions.Length)]));
            }

            values.Add(statement.Add((long)random.Next(1, settings.KeySpace + 1)));
            values.Add(statement.Add(random.Next(100)));
            values.Add(statement.Add(Note()));
            values.Add(random.Next(10) == 0 ? "NULL" : statement.Add(Math.Round((decimal)(random.NextDouble() * 1e9), 2)));
            values.Add(statement.Add(Enumerable.Range(0, random.Next(4)).Select(_ => Note()).ToArray()));
            values.Add(statement.Add(new NpgsqlParameter { Value = $$"""{"w": {{writer}}, "r": {{random.Next()}}, "s": "x"}""", NpgsqlDbType = NpgsqlDbType.Jsonb }));
            values.Add(statement.Add(DateTime.UtcNow.AddSeconds(-random.Next(100_000))));
            return string.Join(", ", values);
        }

        private string? Note() => Notes[random.Next(Notes.Length)];

        private static Task<long> ExecuteAsync(NpgsqlConnection connection, string sql) => new Statement().ExecuteAsync(connection, sql);
    }

    /// <summary>A statement's parameters: <see cref="Add"/> returns the placeholder of the value it adds.</summary>
    private sealed class Statement
    {
        private readonly List<NpgsqlParameter> _parameters = [];

        public string Add(NpgsqlParameter parameter)
        {
            _parameters.Add(parameter);
            return "$" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public string Add<T>(T value) => Add(value is null
            ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }
            : new NpgsqlParameter<T> { TypedValue = value });

        public async Task<long> ExecuteAsync(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(_parameters.ToArray());
            return await command.ExecuteNonQueryAsync();
        }
    }
}
