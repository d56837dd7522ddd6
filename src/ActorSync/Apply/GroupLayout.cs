using ActorSync.Configuration;

namespace ActorSync.Apply;

/// <summary>
/// A foreign key of a target database between two tables that configured syncs write (issue #19):
/// <paramref name="Child"/>'s <paramref name="ChildColumns"/> reference <paramref name="Parent"/>'s <paramref name="ParentColumns"/>.
/// </summary>
public sealed record ForeignKeyLink(
    string Name, TableName Child, IReadOnlyList<string> ChildColumns, TableName Parent, IReadOnlyList<string> ParentColumns, bool Deferrable)
{
    /// <summary>The constraint's name for <c>SET CONSTRAINTS</c>: quoted and qualified with the child table's schema, where it lives.</summary>
    public string QuotedName => Sql.Identifier.Quote(Child.Schema, Name);
}

/// <summary>
/// Syncs applied together (issue #19, DESIGN.md section 4): <paramref name="Members"/> in apply order (parents before
/// children), why each is in the group, the foreign keys between members, and the DEFERRABLE constraints on a cycle
/// that each group transaction defers.
/// </summary>
public sealed record SyncGroup(
    string Name, IReadOnlyList<SyncDefinition> Members, IReadOnlyList<string> Reasons, IReadOnlyList<ForeignKeyLink> Links,
    IReadOnlyList<ForeignKeyLink> Deferred)
{
    /// <summary>Why the group cannot run (a cycle of foreign keys that are not DEFERRABLE); empty when it can.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when <paramref name="sync"/> is a member.</summary>
    public bool Contains(string sync) => Members.Any(m => m.Name == sync);
}

/// <summary>The groups formed from the configuration and the target databases' foreign keys, warnings, and problems (cycles).</summary>
public sealed record GroupLayout(IReadOnlyList<SyncGroup> Groups, IReadOnlyList<string> Warnings, IReadOnlyList<string> Problems)
{
    /// <summary>No groups at all.</summary>
    public static GroupLayout None { get; } = new([], [], []);

    /// <summary>The group of <paramref name="sync"/>, or null when it is applied alone.</summary>
    public SyncGroup? GroupOf(string sync) => Groups.FirstOrDefault(g => g.Contains(sync));
}
