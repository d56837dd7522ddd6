using ActorSync.Configuration;
using ActorSync.Hosting;
using ActorSync.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSync.Tests.Hosting;

/// <summary>The host <c>actorsync run</c> builds, with and without its admin endpoint (built, not started).</summary>
public sealed class ActorSyncHostTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Host_watches_no_settings_file(bool admin)
    {
        string[] syncs = ["{ name = items, source = \"src:public.items\", target = \"tgt:public.items\" }"];
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = "Host=127.0.0.1;Database=a", ["tgt"] = "Host=127.0.0.1;Database=b" },
            syncs,
            admin ? "admin { enabled = true, url = \"http://127.0.0.1:0\" }" : "");
        using var host = ActorSyncHost.Build(ActorSyncConfiguration.Load(config.Path));

        // A settings file that reloads on change puts a recursive watcher on the working directory: the service is
        // configured by its HOCON file, so none of the host's file sources may watch.
        var root = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
        var files = root.Providers.OfType<FileConfigurationProvider>().ToArray();
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} reloads on change"));
    }
}
