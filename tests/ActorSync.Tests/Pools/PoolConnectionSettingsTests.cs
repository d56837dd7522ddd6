using ActorSync.Configuration;
using ActorSync.Pools;
using Npgsql;

namespace ActorSync.Tests.Pools;

public sealed class PoolConnectionSettingsTests
{
    [Fact]
    public void Pools_get_large_buffers_auto_prepare_and_a_role_name_by_default()
    {
        var builder = Apply("Host=db;Username=u", ConnectionRole.Read, maxConnections: 7);

        Assert.Equal(PoolConnectionSettings.CopyBufferSize, builder.ReadBufferSize);
        Assert.Equal(PoolConnectionSettings.CopyBufferSize, builder.WriteBufferSize);
        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.Equal("actorsync-read", builder.ApplicationName);
        Assert.Equal(7, builder.MaxPoolSize);
    }

    [Fact]
    public void What_the_connection_string_names_wins_even_at_the_default_value()
    {
        var builder = Apply(
            "Host=db;Read Buffer Size=8192;WriteBufferSize=16384;Max Auto Prepare=0;Application Name=mine", ConnectionRole.Write, 3);

        Assert.Equal(8192, builder.ReadBufferSize);
        Assert.Equal(16384, builder.WriteBufferSize);
        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.Equal("mine", builder.ApplicationName);
    }

    private static NpgsqlConnectionStringBuilder Apply(string connectionString, ConnectionRole role, int maxConnections)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        PoolConnectionSettings.Apply(builder, new DatabaseOptions { ConnectionString = connectionString, MaxConnections = maxConnections }, role);
        return builder;
    }
}
