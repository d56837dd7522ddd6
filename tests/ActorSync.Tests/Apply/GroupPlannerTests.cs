using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Apply;

/// <summary>How groups are formed from <c>group</c> and the targets' foreign keys (issue #19); no database needed.</summary>
public sealed class GroupPlannerTests
{
    private static readonly SyncDefinition[] Chain =
    [
        SyncDriver.Define("lines", "src:public.lines", "tgt:public.lines"),
        SyncDriver.Define("orders", "src:public.orders", "tgt:public.orders"),
        SyncDriver.Define("customers", "src:public.customers", "tgt:public.customers"),
        SyncDriver.Define("alone", "src:public.alone", "tgt:public.alone"),
    ];

    [Fact]
    public void Members_are_ordered_parents_before_children_whatever_the_configuration_order()
    {
        var layout = GroupPlanner.Plan(Chain, [Link("lines_order", "lines", "orders"), Link("order_customer", "orders", "customers")]);

        var group = Assert.Single(layout.Groups);
        Assert.Equal(["customers", "orders", "lines"], group.Members.Select(m => m.Name));
        Assert.Empty(group.Deferred);
        Assert.Empty(layout.Problems);
        Assert.Null(layout.GroupOf("alone"));
    }

    [Fact]
    public void A_table_that_references_itself_is_no_cycle()
    {
        var layout = GroupPlanner.Plan(Chain, [Link("parent", "orders", "orders")]);

        Assert.Empty(layout.Groups);
        Assert.Empty(layout.Problems);
    }

    [Fact]
    public void A_cycle_of_deferrable_keys_is_deferred_and_one_that_is_not_is_a_problem()
    {
        var deferrable = GroupPlanner.Plan(Chain, [Link("a", "orders", "customers", deferrable: true), Link("b", "customers", "orders", deferrable: true)]);
        Assert.Equal(["a", "b"], Assert.Single(deferrable.Groups).Deferred.Select(l => l.Name).Order());
        Assert.Empty(deferrable.Problems);

        var refused = GroupPlanner.Plan(Chain, [Link("a", "orders", "customers", deferrable: true), Link("b", "customers", "orders")]);
        var problem = Assert.Single(refused.Problems);
        Assert.Contains("target tables tgt:public.orders, tgt:public.customers form a cycle", problem, StringComparison.Ordinal);
        Assert.Contains("b on tgt:public.customers is not DEFERRABLE", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_group_joins_tables_without_a_foreign_key_and_merges_with_a_linked_one()
    {
        var syncs = Chain.Select(s => s.Name is "alone" or "lines" ? s with { Group = "shop" } : s).ToArray();

        var layout = GroupPlanner.Plan(syncs, [Link("lines_order", "lines", "orders")]);

        var group = Assert.Single(layout.Groups);
        Assert.Equal("shop", group.Name);
        Assert.Equal(["orders", "lines", "alone"], group.Members.Select(m => m.Name));
        Assert.Contains("alone: group = shop", group.Reasons);
        Assert.Contains(group.Reasons, r => r.StartsWith("lines -> orders: constraint lines_order", StringComparison.Ordinal));
    }

    private static ForeignKeyLink Link(string name, string child, string parent, bool deferrable = false) =>
        new(name, TableName.Parse($"tgt:public.{child}"), ["id"], TableName.Parse($"tgt:public.{parent}"), ["id"], deferrable);
}
