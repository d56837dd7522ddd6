using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorSync.Tests.Support;
using Xunit.Abstractions;

namespace ActorSync.Tests.Docker;

/// <summary>
/// Issue 18: docker-compose.yml run as a user runs it, <c>docker compose up --build</c> with the demo writer writing,
/// so what a user would hit shows here: an image that does not build, a container running as root, a healthcheck that
/// never turns healthy, a config the container cannot read, a port published beyond 127.0.0.1. Then a restart and a
/// SIGKILL of the service in the middle of the writes, and at the end every target equal to its source, read through
/// <c>psql</c> in the postgres container. <c>docker compose down -v</c> at the end, also when the test fails.
/// </summary>
[Collection(nameof(ComposeStackTests))]
public sealed class ComposeStackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan SyncPatience = TimeSpan.FromMinutes(3);
    private static readonly string[] RunningStates = ["idle", "streaming"];

    // The syncs of config/docker.conf, each compared as the demo's verdict does: the synced columns of the rows it
    // selects, counted and hashed in key order on both sides.
    private static readonly SyncCheck[] Syncs =
    [
        new("orders", "shop", "public.orders", "reporting", "public.orders",
            "id, public_id, customer_id, status, total, currency, placed_at, shipped_at, note", "id", null),
        new("order_lines", "shop", "public.order_lines", "reporting", "public.order_lines", "order_id, line_no, sku, quantity, unit_price",
            "order_id, line_no", null),
        new("active_customers", "shop", "public.customers", "reporting", "public.active_customers", "id, name, email, country, updated_at",
            "id", "active"),
        new("products", "shop", "public.products", "shop", "mirror.products", "sku, name, price, stock, attributes, picture, updated_at",
            "sku", null),
    ];

    private ComposeProject? _compose;

    private ComposeProject Compose => _compose ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync() =>
        _compose = await ComposeProject.CreateAsync(
            "The compose test (docker compose up of docker-compose.yml)",
            // The writer writes until the test stops it; its default of an hour only bounds a test that never gets there.
            new Dictionary<string, string> { ["WRITER_RATE"] = "20", ["WRITER_SECONDS"] = "3600" });

    public async Task DisposeAsync()
    {
        if (_compose is not null)
        {
            await _compose.DisposeAsync();
        }
    }

    [Fact]
    public async Task Compose_up_builds_runs_every_sync_survives_a_restart_and_a_kill_mid_write_and_every_target_ends_equal_to_its_source()
    {
        Assert.Equal(DockerConfSyncs(), Syncs.Select(s => s.Name).Order());
        var clock = Stopwatch.StartNew();
        await Compose.RunCheckedAsync(BuildTimeout, "build");
        output.WriteLine($"build: {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Restart();
        await Compose.RunCheckedAsync(BuildTimeout, "up", "--detach", "--build", "--wait", "--wait-timeout", "300");
        output.WriteLine($"up --build --wait (image built already), up to healthy: {clock.Elapsed.TotalSeconds:0.0} s");
        var image = (await Compose.RunCheckedAsync(null, "config", "--images")).Split('\n', StringSplitOptions.TrimEntries).First(i => i.StartsWith("actorsync", StringComparison.Ordinal));
        var (_, size) = await Compose.RunDockerAsync(["image", "inspect", image, "--format", "{{.Size}}"], TimeSpan.FromMinutes(1));
        output.WriteLine($"image {image}: {long.Parse(size.Trim(), CultureInfo.InvariantCulture) / 1_000_000.0:0.0} MB");

        await AssertPublishedOnLoopbackOnlyAsync();
        await AssertNoContainerRunsAsRootAsync();
        await AssertEverySyncRunsAsync("after up");
        var status = await Compose.RunCheckedAsync(null, "exec", "-T", "actorsync", "actorsync", "status");
        Assert.All(Syncs, s => Assert.Contains(s.Name, status, StringComparison.Ordinal));

        // In the middle of the writes: a restart, then a SIGKILL and `up` again. Each time the writer has written since.
        await WaitForWritesAsync();
        await Compose.RunCheckedAsync(null, "restart", "actorsync");
        await Compose.RunCheckedAsync(null, "up", "--detach", "--wait", "--wait-timeout", "300");
        await AssertEverySyncRunsAsync("after docker compose restart");
        await WaitForWritesAsync();
        await Compose.RunCheckedAsync(null, "kill", "-s", "KILL", "actorsync");
        await Compose.RunCheckedAsync(null, "up", "--detach", "--wait", "--wait-timeout", "300");
        await AssertEverySyncRunsAsync("after docker compose kill -s KILL and up");
        await WaitForWritesAsync();

        await Compose.RunCheckedAsync(null, "stop", "writer");
        foreach (var sync in Syncs)
        {
            var expected = "";
            var actual = "";
            await Eventually.AssertAsync(
                async () =>
                {
                    expected = await Compose.PsqlAsync(sync.SourceDatabase, sync.Fingerprint(sync.SourceTable, sync.Where));
                    actual = await Compose.PsqlAsync(sync.TargetDatabase, sync.Fingerprint(sync.TargetTable, null));
                    Assert.Equal(expected, actual);
                },
                SyncPatience);
            Assert.True(long.Parse(actual.Split(':')[0], CultureInfo.InvariantCulture) > 0, $"{sync.Name}: the target is empty");
            output.WriteLine($"{sync.Name}: target equals source ({actual})");
        }

        await AssertEverySyncRunsAsync("after the writer stopped");
        await Compose.DownAsync();
        foreach (var kind in new[] { "container ls --all", "network ls", "volume ls" })
        {
            var (_, left) = await Compose.RunDockerAsync(
                [.. kind.Split(' '), "--quiet", "--filter", $"label=com.docker.compose.project={Compose.Name}"], TimeSpan.FromMinutes(1));
            Assert.True(left.Trim().Length == 0, $"docker compose down -v left a {kind.Split(' ')[0]}: {left}");
        }
    }

    private async Task AssertPublishedOnLoopbackOnlyAsync()
    {
        // As compose reads the file (the engine's default address would hide a port published without one)...
        using var config = JsonDocument.Parse(await Compose.RunCheckedAsync(null, "config", "--format", "json"));
        var ports = config.RootElement.GetProperty("services").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("ports", out _))
            .SelectMany(s => s.Value.GetProperty("ports").EnumerateArray().Select(p => (Service: s.Name, Port: p)))
            .ToList();
        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.True(
            p.Port.TryGetProperty("host_ip", out var ip) && ip.GetString() == "127.0.0.1", $"{p.Service} publishes {p.Port} beyond 127.0.0.1"));

        // ...and as the engine bound them.
        Assert.Equal($"127.0.0.1:{Compose.AdminPort}", (await Compose.RunCheckedAsync(null, "port", "actorsync", "8080")).Trim());
        var (_, bindings) = await Compose.RunDockerAsync(
            ["container", "ls", "--filter", $"label=com.docker.compose.project={Compose.Name}", "--format", "{{.Names}} {{.Ports}}"], TimeSpan.FromMinutes(1));
        foreach (var line in bindings.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var mapping in line.Split(' ', 2).ElementAtOrDefault(1)?.Split(", ") ?? [])
            {
                Assert.True(!mapping.Contains("->", StringComparison.Ordinal) || mapping.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{line}: published beyond 127.0.0.1");
            }
        }
    }

    private async Task AssertNoContainerRunsAsRootAsync()
    {
        foreach (var service in new[] { "postgres", "actorsync", "writer" })
        {
            // The process the container runs (PID 1), not the root that `exec` itself would be.
            var process = await Compose.RunCheckedAsync(null, "exec", "-T", service, "cat", "/proc/1/status");
            var uid = process.Split('\n').Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            Assert.True(uid != "0", $"{service} runs as root");
        }
    }

    private async Task AssertEverySyncRunsAsync(string when)
    {
        using var client = new HttpClient { BaseAddress = Compose.AdminUrl, Timeout = TimeSpan.FromSeconds(10) };
        var syncs = await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    using var document = JsonDocument.Parse(await client.GetStringAsync("status"));
                    return document.RootElement.GetProperty("syncs").EnumerateArray()
                        .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("state").GetString()!);
                }
                catch (HttpRequestException e)
                {
                    return new Dictionary<string, string> { ["GET /status"] = e.Message };
                }
            },
            states => states.Count == Syncs.Length && states.Values.All(RunningStates.Contains),
            SyncPatience);
        var described = string.Join(", ", syncs.Select(s => $"{s.Key}={s.Value}"));
        Assert.True(
            syncs.Count == Syncs.Length && syncs.Values.All(RunningStates.Contains),
            $"{when}: every sync should be idle or streaming, none failing: {described}\n{await Compose.LogsAsync()}");
        output.WriteLine($"{when}: {described}");
    }

    /// <summary>Returns once the writer has placed an order since the call: the writes go on around what follows.</summary>
    private async Task WaitForWritesAsync()
    {
        const string sql = "SELECT coalesce(max(id), 0) FROM orders";
        var before = long.Parse(await Compose.PsqlAsync("shop", sql), CultureInfo.InvariantCulture);
        var now = await Eventually.ValueAsync(
            async () => long.Parse(await Compose.PsqlAsync("shop", sql), CultureInfo.InvariantCulture), id => id > before, SyncPatience);
        Assert.True(now > before, $"the writer placed no order:\n{await Compose.LogsAsync()}");
    }

    private static IEnumerable<string> DockerConfSyncs() =>
        ActorSync.Configuration.ActorSyncConfiguration.Load(
            RepositoryFiles.PathOf("config/docker.conf"), new Dictionary<string, string?> { ["ACTORSYNC_DB_PASSWORD"] = "x" })
        .Syncs.Select(s => s.Name).Order();

    private sealed record SyncCheck(
        string Name, string SourceDatabase, string SourceTable, string TargetDatabase, string TargetTable, string Columns, string Keys, string? Where)
    {
        public string Fingerprint(string table, string? where) =>
            $"SELECT count(*) || ':' || coalesce(md5(string_agg(md5(ROW({Columns})::text), '' ORDER BY {Keys})), '-') FROM {table}" +
            (where is null ? "" : $" WHERE ({where})");
    }
}

/// <summary>The compose test runs alone: it builds an image and runs a stack, which loads the machine.</summary>
[CollectionDefinition(nameof(ComposeStackTests), DisableParallelization = true)]
public sealed class ComposeStackTestsCollection;
