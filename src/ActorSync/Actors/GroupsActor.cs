using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Pools;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActorSync.Actors;

/// <summary>
/// Forms the engine's consistent groups once (issue #19): reads the foreign keys of the target databases when the first
/// replicator asks, creates one <see cref="GroupApplierActor"/> per group as its child, and answers each replicator with
/// its group. A layout that cannot be read (a database away) is read again at the next question; a layout with a cycle
/// that cannot be honoured is every member's failure.
/// </summary>
public sealed class GroupsActor : ReceiveActor
{
    private readonly IReadOnlyList<SyncDefinition> _syncs;
    private readonly ActorSyncOptions _options;
    private readonly IConnectionLeaser _leaser;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly List<(IActorRef ReplyTo, string Sync)> _waiting = [];
    private readonly Dictionary<string, IActorRef> _appliers = new(StringComparer.Ordinal);
    private GroupLayout? _layout;
    private bool _reading;

    public GroupsActor(
        IReadOnlyList<SyncDefinition> syncs, ActorSyncOptions options, IConnectionLeaser leaser, ILoggerFactory loggerFactory)
    {
        _syncs = syncs;
        _options = options;
        _leaser = leaser;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<GroupsActor>();
        Receive<GroupWanted>(wanted =>
        {
            if (_layout is not null)
            {
                Sender.Tell(Answer(wanted.Sync));
                return;
            }

            _waiting.Add((Sender, wanted.Sync));
            if (!_reading)
            {
                _reading = true;
                ReadAsync().PipeTo(Self, success: layout => layout, failure: error => new Status.Failure(error));
            }
        });
        Receive<GroupLayout>(layout =>
        {
            _reading = false;
            _layout = layout;
            foreach (var group in layout.Groups)
            {
                var g = group;
                _appliers[group.Name] = Context.ActorOf(
                    Props.Create(() => new GroupApplierActor(g, _leaser, _loggerFactory)), "group-" + Uri.EscapeDataString(group.Name));
                LogMessages.GroupFormed(_logger, group.Name, string.Join(", ", group.Members.Select(m => m.Name)), string.Join("; ", group.Reasons));
            }

            foreach (var warning in layout.Warnings)
            {
                LogMessages.GroupWarning(_logger, warning);
            }

            foreach (var (replyTo, sync) in _waiting)
            {
                replyTo.Tell(Answer(sync));
            }

            _waiting.Clear();
        });
        Receive<Status.Failure>(failure =>
        {
            // The waiting replicators fail their preparation and retry with backoff; the next question reads again.
            _reading = false;
            foreach (var (replyTo, _) in _waiting)
            {
                replyTo.Tell(failure);
            }

            _waiting.Clear();
        });
    }

    private GroupFound Answer(string sync)
    {
        var group = _layout!.GroupOf(sync);
        return group is null
            ? new GroupFound(null, null, null)
            : new GroupFound(group, _appliers[group.Name], group.Problems.Count > 0 ? string.Join(Environment.NewLine, group.Problems) : null);
    }

    private async Task<GroupLayout> ReadAsync() =>
        await GroupPlanner.LayoutAsync(
            _syncs,
            async (database, cancellationToken) =>
            {
                var connection = new NpgsqlConnection(_options.Databases[database].ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return connection;
            },
            CancellationToken.None);
}
