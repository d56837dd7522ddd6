using System.Collections.Concurrent;

namespace ActorSync.Tests.Support;

/// <summary>
/// PostgreSQL containers for one test class (<c>IClassFixture&lt;PostgresServers&gt;</c>) that works between servers:
/// started on first use, by image and instance number (two servers of one image are instances 0 and 1), and removed
/// with the fixture.
/// </summary>
public sealed class PostgresServers : IAsyncLifetime
{
    private readonly ConcurrentDictionary<(string Image, int Instance), Lazy<Task<PostgresContainer>>> _servers = new();

    /// <summary>The running container of <paramref name="image"/> with that instance number.</summary>
    public Task<PostgresContainer> GetAsync(string image, int instance = 0) =>
        _servers.GetOrAdd((image, instance), key => new Lazy<Task<PostgresContainer>>(
            () => PostgresContainer.StartAsync(key.Image, purpose: "A test between two PostgreSQL servers"))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values.Where(s => s.IsValueCreated && s.Value.IsCompletedSuccessfully))
        {
            await (await server.Value).DisposeAsync();
        }
    }
}
