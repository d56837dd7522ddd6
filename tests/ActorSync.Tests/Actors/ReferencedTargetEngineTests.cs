using ActorSync.Actors;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>
/// Orders and their lines, synced by two replicators into targets with the same foreign key (issue #19): the first
/// copy of the referenced parent finishes, and a replicated TRUNCATE of both converges without TRUNCATE of the parent.
/// </summary>
public sealed class ReferencedTargetEngineTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Schema = """
        CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL);
        CREATE TABLE order_lines (order_id int NOT NULL REFERENCES orders (id), line int, item text, PRIMARY KEY (order_id, line));
        """;

    private NpgsqlDataSource _target = null!;
    private string _targetConnectionString = "";

    public async Task InitializeAsync()
    {
        _targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        _target = NpgsqlDataSource.Create(_targetConnectionString);
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Orders_and_their_lines_copy_stream_and_survive_a_truncate_of_both_with_the_foreign_key_on_the_target()
    {
        await database.ExecuteAsync(Schema + """
            INSERT INTO orders SELECT g, 'c' || g FROM generate_series(1, 500) g;
            INSERT INTO order_lines SELECT o, l, 'item' FROM generate_series(1, 500) o, generate_series(1, 3) l;
            """);
        await EngineHarness.ExecuteAsync(_target, Schema);
        var syncs = new[]
        {
            SyncDriver.Define("orders", "src:public.orders", "tgt:public.orders"),
            SyncDriver.Define("order_lines", "src:public.order_lines", "tgt:public.order_lines"),
        };
        await using var engine = EngineHarness.Start(
            new Dictionary<string, string> { ["src"] = database.ConnectionString, ["tgt"] = _targetConnectionString }, syncs);

        await EngineHarness.WaitForStateAsync(engine, "orders", SyncStates.Idle);
        await EngineHarness.WaitForStateAsync(engine, "order_lines", SyncStates.Idle);
        await AssertConvergedAsync();

        // The foreign key puts both syncs in one consistent group (issue #19): an order and its lines are applied in one
        // target transaction, the new order before its lines, the deleted order after its lines.
        await database.ExecuteAsync("BEGIN; INSERT INTO orders VALUES (501, 'new'); INSERT INTO order_lines VALUES (501, 1, 'x'); COMMIT");
        await AssertConvergedAsync();
        await database.ExecuteAsync("BEGIN; DELETE FROM order_lines WHERE order_id = 2; DELETE FROM orders WHERE id = 2; COMMIT");
        await AssertConvergedAsync();

        await database.ExecuteAsync("TRUNCATE orders, order_lines; INSERT INTO orders VALUES (1, 'again'); INSERT INTO order_lines VALUES (1, 1, 'y')");
        await AssertConvergedAsync();
    }

    private async Task AssertConvergedAsync() =>
        await Eventually.AssertAsync(async () =>
        {
            await TableFingerprint.AssertEqualAsync(database.DataSource, "orders", _target, "orders", "id");
            await TableFingerprint.AssertEqualAsync(database.DataSource, "order_lines", _target, "order_lines", "order_id, line");
        });
}
