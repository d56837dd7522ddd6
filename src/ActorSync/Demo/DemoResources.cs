using System.Reflection;
using System.Text;

namespace ActorSync.Demo;

/// <summary>
/// The files the demo shares with docker compose, embedded in the assembly under their repository paths
/// (<c>db/demo/shop.sql</c>, <c>db/demo/writer/place_order.sql</c>, <c>config/docker.conf</c>): see ActorSync.csproj.
/// </summary>
public static class DemoResources
{
    /// <summary>The text of an embedded file.</summary>
    /// <exception cref="InvalidOperationException">The file is not embedded (a build defect).</exception>
    public static string Read(string path)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(path)
            ?? throw new InvalidOperationException($"The demo file {path} is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
