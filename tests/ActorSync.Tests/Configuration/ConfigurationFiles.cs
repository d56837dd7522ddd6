namespace ActorSync.Tests.Configuration;

/// <summary>Writes configuration files into a temporary folder that is deleted on dispose.</summary>
public sealed class ConfigurationFiles : IDisposable
{
    public const string Valid = """
        actorsync {
          databases {
            main { connection-string = "Host=db;Database=app;Username=sync;Password="${?MAIN_PASSWORD} }
            replica { connection-string = "Host=replica;Database=app;Username=sync", max-connections = 8 }
          }
          defaults { batch-size = 5000, poll-interval = 5s, backoff { min = 200ms, max = 30s } }
          admin { url = "http://127.0.0.1:8080", token = ${?ACTORSYNC_ADMIN_TOKEN} }
          syncs = [
            { name = orders, source = "main:public.orders", target = "replica:public.orders" }
            { name = active_customers, source = "main:public.customers", target = "replica:public.customers"
              columns = [id, name, email], where = "active", create-target = true, poll-interval = 1 minute }
          ]
        }
        """;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "actorsync-config-" + Guid.NewGuid().ToString("N"));

    public ConfigurationFiles() => Directory.CreateDirectory(Folder);

    public string Write(string text, string name = "actorsync.conf")
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
