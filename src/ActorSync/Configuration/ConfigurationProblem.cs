using ActorSync.Hocon;

namespace ActorSync.Configuration;

/// <summary>
/// One thing wrong with a configuration: where (the HOCON origin of the value, or of its nearest enclosing section when
/// the value is missing), which setting (<c>syncs[1].source</c>, relative to <c>actorsync</c>), and what is expected.
/// Messages never hold a secret.
/// </summary>
public sealed record ConfigurationProblem(string Location, string Setting, string Message)
{
    /// <summary>E.g. <c>config/actorsync.conf:12:14: syncs[1].source: expected "database:schema.table", found no ':'</c>.</summary>
    public override string ToString() => Setting.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Setting}: {Message}";

    internal static ConfigurationProblem FromHocon(HoconException exception) => new(exception.Origin.ToString(), "", exception.Problem);
}
