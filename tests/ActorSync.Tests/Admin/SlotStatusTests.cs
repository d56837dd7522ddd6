using System.Text.Json;
using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Cli;

namespace ActorSync.Tests.Admin;

/// <summary>
/// How a WAL source database's slot reads in <c>GET /status</c> and <c>actorsync status</c> (issue #20). The figures
/// themselves come from a real server in <see cref="Actors.SlotMonitorActorTests"/>.
/// </summary>
public sealed class SlotStatusTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Status_json_has_a_slot_per_wal_database_with_slot_retained_bytes_and_its_warning()
    {
        var response = StatusResponse.From(Engine(new SlotStatus("main", "actorsync_main", true, 2_500_000_000, 1_000_000_000, "extended", At, "too much", null)), ["main"]);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(response, AdminJsonContext.Default.StatusResponse)).RootElement;

        var slot = Assert.Single(json.GetProperty("slots").EnumerateArray());
        Assert.Equal(
            ["database", "slot", "exists", "slotRetainedBytes", "slotRetentionWarningBytes", "walStatus", "measuredAt", "warning", "lastError"],
            slot.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2_500_000_000, slot.GetProperty("slotRetainedBytes").GetInt64());
        Assert.Equal("too much", slot.GetProperty("warning").GetString());
    }

    [Fact]
    public void Status_table_shows_the_retained_wal_and_the_warning_under_the_pools()
    {
        var status = StatusResponse.From(
            Engine(
                new SlotStatus("main", "actorsync_main", true, 2_500_000_000, 1_000_000_000, "extended", At, "slot actorsync_main retains too much", null),
                new SlotStatus("next", "actorsync_next", false, null, 1_000_000_000, null, At, null, null)),
            ["main", "next"]);

        var text = StatusCommand.Describe(status);

        Assert.Contains("slot:     actorsync_main on main, retains 2.5 GB\n          WARNING: slot actorsync_main retains too much\n", text, StringComparison.Ordinal);
        Assert.Contains("slot:     actorsync_next on next, retains nothing (the slot is not created yet)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_wal_capture_slots_is_an_empty_list()
    {
        var json = JsonSerializer.Serialize(StatusResponse.From(Engine(), []), AdminJsonContext.Default.StatusResponse);

        Assert.Contains("\"slots\":[]", json, StringComparison.Ordinal);
    }

    private static EngineStatus Engine(params SlotStatus[] slots) => new([], [], [], "0.0.0") { Slots = slots };
}
