using ActorSync.Hocon;

namespace ActorSync.Configuration;

/// <summary>
/// One thing wrong with a configuration: where (the HOCON origin of the value, or of its nearest enclosing section when
/// the value is missing), which setting (<c>syncs[1].source</c>, relative to <c>actorsync</c>), and what is expected.
/// Messages never hold a secret.
/// </summary>
public sealed record ConfigurationProblem(string Location, string Setting, string Message)
{
    /// <summary>
    /// What is wrong. A message may quote the value at fault ("found '...'"), and a connection string written where an
    /// object belongs is such a value: its password is masked here, once for every command and the exception (issue 9).
    /// </summary>
    public string Message { get; init; } = SecretMasker.MaskText(Message);

    /// <summary>The origin behind <see cref="Location"/> when it is known; problems are listed in this order.</summary>
    public HoconOrigin? Origin { get; init; }

    /// <summary>E.g. <c>config/actorsync.conf:12:14: syncs[1].source: expected "database:schema.table", found no ':'</c>.</summary>
    public override string ToString() => Setting.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Setting}: {Message}";

    internal static ConfigurationProblem FromHocon(HoconException exception) =>
        new(exception.Origin.ToString(), "", exception.Problem) { Origin = exception.Origin };

    /// <summary>Problems in file order (stable: problems at one origin keep the order they were found in).</summary>
    internal static List<ConfigurationProblem> InFileOrder(IEnumerable<ConfigurationProblem> problems) =>
        [.. problems.OrderBy(p => p.Origin is null ? 1 : 0)
            .ThenBy(p => p.Origin?.Description, StringComparer.Ordinal)
            .ThenBy(p => p.Origin?.Line)
            .ThenBy(p => p.Origin?.Column)];
}
