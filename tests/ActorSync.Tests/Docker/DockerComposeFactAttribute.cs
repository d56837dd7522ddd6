namespace ActorSync.Tests.Docker;

/// <summary>
/// A test that needs the <c>docker-compose</c> program (Debian's <c>docker-compose</c> package; no Docker engine is
/// needed to validate a file). On a developer's machine without it the test reports itself skipped with the reason;
/// under CI (<c>CI</c> set, and <c>.ci/run</c> installs the package) it runs, so a missing program fails the run.
/// </summary>
public sealed class DockerComposeFactAttribute : FactAttribute
{
    public const string MissingReason =
        "docker-compose is not installed: apt-get install -y docker-compose (Debian), or pip install docker-compose";

    public DockerComposeFactAttribute()
    {
        if (RepositoryFiles.FindProgram("docker-compose") is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = MissingReason;
        }
    }
}
