using System.Text.Json;
using ActorSync.Configuration;
using ActorSync.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSync.Tests.Support;

/// <summary>
/// The service as <c>actorsync run</c> builds it (<see cref="ActorSyncHost.Build"/>), in-process, with the real
/// Kestrel admin endpoint on a free port of <c>127.0.0.1</c> (or of the <paramref name="bind"/> address). Keeps every
/// log line, so tests can search them.
/// </summary>
public sealed class AdminHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConfigFile _config;
    private readonly LogCollector _logs;

    private AdminHost(IHost host, ConfigFile config, LogCollector logs, Uri address)
    {
        _host = host;
        _config = config;
        _logs = logs;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    /// <summary>The bound address, reachable on loopback (a wildcard bind is reached through 127.0.0.1).</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    public string ConfigPath => _config.Path;

    public string Logs => _logs.Text;

    public IServiceProvider Services => _host.Services;

    public static async Task<AdminHost> StartAsync(
        IReadOnlyDictionary<string, string> databases, IEnumerable<string> syncs, string? token = null, string bind = "127.0.0.1",
        IReadOnlyDictionary<string, string?>? hostSettings = null, IReadOnlyDictionary<string, string>? databaseSettings = null)
    {
        var admin = $"admin {{ enabled = true, url = \"http://{bind}:0\"{(token is null ? "" : $", token = {ConfigFile.Quote(token)}")} }}";
        var config = ConfigFile.Write(databases, syncs, admin, databaseSettings);
        var logs = new LogCollector();
        var host = ActorSyncHost.Build(ActorSyncConfiguration.Load(config.Path), logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(logs);
        }, hostSettings: hostSettings);
        await host.StartAsync();
        var bound = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var address = new UriBuilder(bound) { Host = "127.0.0.1" }.Uri;
        return new AdminHost(host, config, logs, address);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Polls <c>GET /status/{sync}</c> until the sync reports <paramref name="state"/>; returns that object.</summary>
    public async Task<JsonElement> WaitForStateAsync(string sync, string state, TimeSpan? timeout = null)
    {
        var last = default(JsonElement);
        await Eventually.AssertAsync(async () =>
        {
            last = await GetJsonAsync($"status/{sync}");
            Assert.Equal(state, last.GetProperty("state").GetString());
        }, timeout);
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        _config.Dispose();
    }
}
