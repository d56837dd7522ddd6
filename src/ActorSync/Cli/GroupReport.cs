using System.Text;
using ActorSync.Apply;

namespace ActorSync.Cli;

/// <summary>The groups part of <c>actorsync check</c> (issue #19): each group, its members in apply order and why, then the warnings.</summary>
internal static class GroupReport
{
    public static void Append(StringBuilder text, GroupLayout layout)
    {
        foreach (var group in layout.Groups)
        {
            text.Append("\ngroup ").Append(group.Name).Append(": ").Append(string.Join(", ", group.Members.Select(m => m.Name)))
                .Append(" (apply order: upserts in this order, deletes in reverse; one source snapshot and one target transaction per batch)\n");
            foreach (var reason in group.Reasons)
            {
                text.Append("  why:      ").Append(reason).Append('\n');
            }
        }

        foreach (var warning in layout.Warnings)
        {
            text.Append("\nwarning: ").Append(warning).Append('\n');
        }
    }
}
