using System.Security.Cryptography;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Apply;

/// <summary>
/// Issue 18: moving a database to a new major version is a main reason to replicate, so every column type of the
/// fidelity tests travels between two servers, each in its own container: two of the suite's image, and PostgreSQL 15
/// to 17 and 17 to 15. Rows that exist before the sync starts go by the snapshot's copy, later ones by the streamed
/// apply; both must arrive exactly.
/// </summary>
public sealed class CrossVersionTests(PostgresServers servers) : IClassFixture<PostgresServers>
{
    private const string Postgres15 = "postgres:15";
    private const string Postgres17 = "postgres:17";

    public static TheoryData<string, string> ServerPairs => new()
    {
        { TestEnvironment.PostgresImage, TestEnvironment.PostgresImage },
        { Postgres15, Postgres17 },
        { Postgres17, Postgres15 },
    };

    [Theory]
    [MemberData(nameof(ServerPairs))]
    public async Task Every_fidelity_type_is_copied_and_streamed_exactly_from_one_server_to_another(string sourceImage, string targetImage)
    {
        var sourceServer = await servers.GetAsync(sourceImage);
        var targetServer = await servers.GetAsync(targetImage, sourceImage == targetImage ? 1 : 0);
        AssertMajorVersion(sourceServer);
        AssertMajorVersion(targetServer);
        var suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var databases = new Dictionary<string, string>
        {
            ["src"] = await sourceServer.CreateDatabaseAsync("src_" + suffix),
            ["tgt"] = await targetServer.CreateDatabaseAsync("tgt_" + suffix),
        };
        await using var source = NpgsqlDataSource.Create(databases["src"]);
        await using var target = NpgsqlDataSource.Create(databases["tgt"]);
        string[] tables = ["types_copied", "types_streamed", "portable_copied", "portable_streamed"];
        foreach (var dataSource in new[] { source, target })
        {
            await EngineHarness.ExecuteAsync(dataSource, FidelityTables.Types);
            foreach (var table in tables)
            {
                var ddl = table.StartsWith("types", StringComparison.Ordinal) ? FidelityTables.TypesDdl : FidelityTables.PortableDdl;
                await EngineHarness.ExecuteAsync(dataSource, ddl.Replace("{0}", table, StringComparison.Ordinal));
            }
        }

        // Before the start: the snapshot copies these.
        await InsertRowsAsync(source, "types_copied");
        await InsertRowsAsync(source, "portable_copied");
        await using var engine = EngineHarness.Start(databases, tables.Select(t => SyncDriver.Define(t, $"src:public.{t}", $"tgt:public.{t}")));
        await AssertConvergedAsync(source, target, tables);

        // After it: the streamed apply carries these, then an update and a delete of each table.
        await InsertRowsAsync(source, "types_streamed");
        await InsertRowsAsync(source, "portable_streamed");
        await AssertConvergedAsync(source, target, tables);
        await EngineHarness.ExecuteAsync(source, """
            UPDATE types_copied SET i4 = 7, t = t || '!', jb = jb || '{"k": "ü"}' WHERE id = 1;
            UPDATE types_streamed SET iv = iv + interval '1 day 1 microsecond', tstz = tstz - interval '1 day' WHERE id = 1 AND part = 1;
            DELETE FROM types_streamed WHERE id = 3;
            UPDATE portable_copied SET n = -n, t = 'changed ☃' WHERE id = 2;
            DELETE FROM portable_streamed WHERE id = 1;
            """);
        await AssertConvergedAsync(source, target, tables);
    }

    private static void AssertMajorVersion(PostgresContainer server)
    {
        var tag = server.Image[(server.Image.LastIndexOf(':') + 1)..];
        if (int.TryParse(tag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major))
        {
            Assert.True(major == server.MajorVersion, $"{server.Image} runs PostgreSQL {server.MajorVersion}");
        }
    }

    private static Task InsertRowsAsync(NpgsqlDataSource source, string table) =>
        EngineHarness.ExecuteAsync(
            source,
            (table.StartsWith("types", StringComparison.Ordinal) ? FidelityTables.Rows : FidelityTables.PortableRows).Replace("{0}", table, StringComparison.Ordinal));

    private static async Task AssertConvergedAsync(NpgsqlDataSource source, NpgsqlDataSource target, string[] tables)
    {
        foreach (var table in tables)
        {
            var order = table.StartsWith("types", StringComparison.Ordinal) ? "id, part" : "id";
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(source, table, target, table, order));
        }
    }
}
