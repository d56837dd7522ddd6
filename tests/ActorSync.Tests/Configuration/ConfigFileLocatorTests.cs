using ActorSync.Configuration;

namespace ActorSync.Tests.Configuration;

public sealed class ConfigFileLocatorTests
{
    [Fact]
    public void The_command_line_wins_then_the_environment_then_the_default()
    {
        var environment = new Dictionary<string, string?> { [ConfigFileLocator.EnvironmentVariable] = "/etc/actorsync.conf" };
        Assert.Equal(new ConfigFileLocation("my.conf", "the command line"), ConfigFileLocator.Locate("my.conf", environment));
        Assert.Equal(new ConfigFileLocation("/etc/actorsync.conf", "ACTORSYNC_CONFIG"), ConfigFileLocator.Locate(null, environment));
        Assert.Equal(new ConfigFileLocation("config/actorsync.conf", "default"), ConfigFileLocator.Locate(" ", new Dictionary<string, string?>()));
    }
}
