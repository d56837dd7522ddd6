using System.Net;
using System.Net.Sockets;

namespace ActorSync.Tests.Support;

/// <summary>
/// What the tests need from the machine, and the one message each missing piece fails with (STYLE.md: a failing
/// fixture explains how to fix the environment; never a silent skip).
/// </summary>
public static class TestEnvironment
{
    /// <summary>A connection string to an existing server: the single-server tests use it instead of a container.</summary>
    public const string ConnectionStringVariable = "ACTORSYNC_TEST_PG";

    /// <summary>The image every container of the tests runs unless a test names its version (default <c>postgres:17</c>).</summary>
    public const string ImageVariable = "ACTORSYNC_TEST_PG_IMAGE";

    /// <summary>The image of the compose file's <c>postgres</c> service, so the tests run what users run.</summary>
    public const string DefaultImage = "postgres:17";

    private const string HowToGetDocker =
        "Start a Docker engine (where no registry can be reached: `bash ../shared/docker/setup.sh all` from the repository " +
        "root builds stand-ins for the images, then `export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 " +
        "TESTCONTAINERS_RYUK_CONTAINER_IMAGE=local/ryuk:0.14.0`; .ci/run does both).";

    /// <summary>The image for containers: <c>ACTORSYNC_TEST_PG_IMAGE</c> when set, else <see cref="DefaultImage"/>.</summary>
    public static string PostgresImage =>
        Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } image ? image : DefaultImage;

    /// <summary><c>ACTORSYNC_TEST_PG</c>, or null when it is not set.</summary>
    public static string? ExternalConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Neither a Docker engine nor <c>ACTORSYNC_TEST_PG</c>: the tests have no PostgreSQL to run against.</summary>
    public static string NoPostgres(string cause) =>
        $"The tests need PostgreSQL and found neither a Docker engine nor {ConnectionStringVariable}. {HowToGetDocker} " +
        $"Or set {ConnectionStringVariable} to the connection string of a PostgreSQL server (13 or later) as a user who may " +
        $"create databases and roles; the tests that start servers of their own still need Docker then. ({cause})";

    /// <summary>A test that starts containers of its own (cross-version, server restarts, compose) and has no Docker engine.</summary>
    public static string NeedsDocker(string what, string cause) =>
        $"{what} needs a Docker engine: it starts containers of its own, which {ConnectionStringVariable} cannot stand in for. " +
        $"{HowToGetDocker} ({cause})";

    /// <summary>A Docker engine answers but a container would not start (most often: an image that cannot be pulled here).</summary>
    public static string ContainerDidNotStart(string image, string cause) =>
        $"A PostgreSQL container ({image}) did not start: {cause} Where images cannot be pulled, `bash ../shared/docker/setup.sh " +
        "images` builds stand-ins for postgres:15 and postgres:17 and a reaper, which Testcontainers uses with " +
        "TESTCONTAINERS_RYUK_CONTAINER_IMAGE=local/ryuk:0.14.0 and TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1.";

    /// <summary>A port of 127.0.0.1 that nothing listens on now (the caller binds it soon after, or retries).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
