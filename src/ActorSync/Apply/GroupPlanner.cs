using ActorSync.Configuration;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Forms consistent groups (issue #19, DESIGN.md section 4): syncs named into one <c>group</c>, and syncs whose target
/// tables a foreign key links, are the connected components of those links (union-find). Members are ordered parents
/// before children; a cycle is accepted only when every constraint on it is DEFERRABLE. Used by <c>check</c>,
/// <c>run</c> and the engine.
/// </summary>
public static class GroupPlanner
{
    // Foreign keys whose two ends are among the given tables ($1 schemas, $2 names, pairwise).
    private const string LinksSql = """
        WITH t(nspname, relname) AS (SELECT * FROM unnest($1::text[], $2::text[]))
        SELECT c.conname::text, c.condeferrable, cn.nspname::text, cc.relname::text, pn.nspname::text, pc.relname::text,
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
               ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
        FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_class cc ON cc.oid = c.conrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
        JOIN pg_catalog.pg_class pc ON pc.oid = c.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
        WHERE c.contype = 'f'
          AND (cn.nspname, cc.relname) IN (SELECT nspname, relname FROM t)
          AND (pn.nspname, pc.relname) IN (SELECT nspname, relname FROM t)
        ORDER BY c.conname
        """;

    /// <summary>Reads the foreign keys between <paramref name="tables"/> (all in the database of <paramref name="target"/>).</summary>
    public static async Task<IReadOnlyList<ForeignKeyLink>> ReadLinksAsync(
        NpgsqlConnection target, IReadOnlyList<TableName> tables, CancellationToken cancellationToken)
    {
        var links = new List<ForeignKeyLink>();
        if (tables.Count < 2)
        {
            return links;
        }

        var database = tables[0].Database;
        await using var command = new NpgsqlCommand(LinksSql, target);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tables.Select(t => t.Schema).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tables.Select(t => t.Table).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(new ForeignKeyLink(
                reader.GetString(0),
                new TableName(database, reader.GetString(2), reader.GetString(3)),
                reader.GetFieldValue<string[]>(6),
                new TableName(database, reader.GetString(4), reader.GetString(5)),
                reader.GetFieldValue<string[]>(7),
                reader.GetBoolean(1)));
        }

        return links;
    }

    /// <summary>Reads every target database's foreign keys through <paramref name="open"/> and forms the groups.</summary>
    public static async Task<GroupLayout> LayoutAsync(
        IReadOnlyList<SyncDefinition> syncs, Func<string, CancellationToken, Task<NpgsqlConnection>> open, CancellationToken cancellationToken,
        bool dispose = true)
    {
        var enabled = syncs.Where(s => s.Enabled).ToArray();
        var links = new List<ForeignKeyLink>();
        foreach (var database in enabled.GroupBy(s => s.Target.Database, StringComparer.Ordinal).Where(d => d.Count() > 1))
        {
            var connection = await open(database.Key, cancellationToken);
            try
            {
                links.AddRange(await ReadLinksAsync(connection, database.Select(s => s.Target).ToArray(), cancellationToken));
            }
            finally
            {
                if (dispose)
                {
                    await connection.DisposeAsync();
                }
            }
        }

        return Plan(enabled, links);
    }

    /// <summary>Forms the groups of <paramref name="syncs"/> (the enabled ones, in configuration order) from their <c>group</c> and <paramref name="links"/>.</summary>
    public static GroupLayout Plan(IReadOnlyList<SyncDefinition> syncs, IReadOnlyList<ForeignKeyLink> links)
    {
        var index = syncs.Select((s, i) => (s, i)).ToDictionary(x => x.s.Target, x => x.i);
        var parent = Enumerable.Range(0, syncs.Count).ToArray();
        var warnings = new List<string>();
        var problems = new List<string>();
        var used = new List<(ForeignKeyLink Link, int Child, int Parent)>();

        foreach (var group in syncs.Select((s, i) => (s.Group, i)).Where(x => x.Group is not null).GroupBy(x => x.Group, StringComparer.Ordinal))
        {
            var members = group.Select(x => x.i).ToArray();
            foreach (var member in members.Skip(1))
            {
                Union(parent, members[0], member);
            }
        }

        foreach (var link in links)
        {
            if (!index.TryGetValue(link.Child, out var child) || !index.TryGetValue(link.Parent, out var referenced))
            {
                continue;
            }

            var (childSync, parentSync) = (syncs[child], syncs[referenced]);
            if (child == referenced)
            {
                // A table referencing itself needs no order between syncs: its upsert is one statement, and PostgreSQL
                // checks a non-deferred foreign key at the end of the statement.
                continue;
            }

            if (childSync.Source.Database != parentSync.Source.Database)
            {
                warnings.Add(
                    $"foreign key {link.Name} of {link.Child} references {link.Parent}, but sync '{childSync.Name}' reads database " +
                    $"'{childSync.Source.Database}' and sync '{parentSync.Name}' reads '{parentSync.Source.Database}': with no common source " +
                    "snapshot they cannot be grouped, and a child may reach the target before its parent (the batch is then retried)");
                continue;
            }

            if (parentSync.Where is not null)
            {
                warnings.Add(
                    $"foreign key {link.Name} of {link.Child} references {link.Parent}, whose sync '{parentSync.Name}' has a where filter: " +
                    $"a parent row it leaves out orphans the rows of sync '{childSync.Name}' that reference it, and the target refuses them");
            }

            Union(parent, child, referenced);
            used.Add((link, child, referenced));
        }

        var groups = new List<SyncGroup>();
        foreach (var component in Enumerable.Range(0, syncs.Count).GroupBy(i => Find(parent, i)).Select(c => c.OrderBy(i => i).ToArray()))
        {
            var explicitNames = component.Select(i => syncs[i].Group).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            if (component.Length < 2 && explicitNames.Length == 0)
            {
                continue;
            }

            var edges = used.Where(u => component.Contains(u.Child)).ToArray();
            var (order, cycles) = Order(component, edges.Select(e => (e.Parent, e.Child)).ToArray());
            var deferred = new List<ForeignKeyLink>();
            var groupProblems = new List<string>();
            foreach (var cycle in cycles)
            {
                var onCycle = edges.Where(e => cycle.Contains(e.Child) && cycle.Contains(e.Parent)).Select(e => e.Link).ToArray();
                var refused = onCycle.Where(l => !l.Deferrable).ToArray();
                if (refused.Length > 0)
                {
                    groupProblems.Add(
                        $"the foreign keys of target tables {string.Join(", ", cycle.Select(i => syncs[i].Target.ToString()))} form a cycle " +
                        $"(syncs {string.Join(", ", cycle.Select(i => syncs[i].Name))}), and {string.Join(", ", refused.Select(l => $"{l.Name} on {l.Child}"))} " +
                        $"{(refused.Length == 1 ? "is" : "are")} not DEFERRABLE: no order of inserts and deletes can keep such keys valid. " +
                        "Make every constraint of the cycle DEFERRABLE (ALTER TABLE ... ALTER CONSTRAINT ... DEFERRABLE), or drop one of them");
                }
                else
                {
                    deferred.AddRange(onCycle);
                }
            }

            var reasons = new List<string>();
            foreach (var i in order.Where(i => syncs[i].Group is not null))
            {
                reasons.Add($"{syncs[i].Name}: group = {syncs[i].Group}");
            }

            foreach (var (link, child, referenced) in edges)
            {
                reasons.Add(
                    $"{syncs[child].Name} -> {syncs[referenced].Name}: constraint {link.Name} ({link.Child} references {link.Parent})" +
                    (deferred.Contains(link) ? ", DEFERRABLE, deferred in each group transaction" : ""));
            }

            var name = explicitNames.Length > 0 ? string.Join("+", explicitNames) : syncs[order[0]].Name;
            problems.AddRange(groupProblems);
            groups.Add(new SyncGroup(name, order.Select(i => syncs[i]).ToArray(), reasons, edges.Select(e => e.Link).ToArray(), deferred)
            {
                Problems = groupProblems,
            });
        }

        return new GroupLayout(groups, warnings, problems);
    }

    /// <summary>
    /// Orders a component parents first: Tarjan's strongly connected components, then a topological order of them with
    /// configuration order among equals; members of one cycle keep configuration order. Returns the cycles (two or more).
    /// </summary>
    private static (int[] Order, List<int[]> Cycles) Order(int[] nodes, (int Parent, int Child)[] edges)
    {
        var counter = 0;
        var indexes = new Dictionary<int, int>();
        var lows = new Dictionary<int, int>();
        var stack = new Stack<int>();
        var onStack = new HashSet<int>();
        var components = new List<int[]>();

        void Visit(int node)
        {
            indexes[node] = lows[node] = counter++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges.Where(e => e.Parent == node).Select(e => e.Child).OrderBy(c => c))
            {
                if (!indexes.ContainsKey(next))
                {
                    Visit(next);
                    lows[node] = Math.Min(lows[node], lows[next]);
                }
                else if (onStack.Contains(next))
                {
                    lows[node] = Math.Min(lows[node], indexes[next]);
                }
            }

            if (lows[node] == indexes[node])
            {
                var component = new List<int>();
                int member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add([.. component.OrderBy(c => c)]);
            }
        }

        // Roots first in configuration order, so that unrelated parents keep the order the user wrote.
        foreach (var node in nodes.OrderBy(n => n))
        {
            if (!indexes.ContainsKey(node))
            {
                Visit(node);
            }
        }

        // Kahn's order of the components: a component goes once every component with an edge into it went; among
        // those ready, the one the configuration lists first.
        var of = new Dictionary<int, int>();
        for (var c = 0; c < components.Count; c++)
        {
            foreach (var member in components[c])
            {
                of[member] = c;
            }
        }

        var links = edges.Select(e => (Parent: of[e.Parent], Child: of[e.Child])).Where(e => e.Parent != e.Child).Distinct().ToList();
        var order = new List<int>();
        var placed = new HashSet<int>();
        while (placed.Count < components.Count)
        {
            var next = Enumerable.Range(0, components.Count)
                .Where(c => !placed.Contains(c) && links.All(l => l.Child != c || placed.Contains(l.Parent)))
                .OrderBy(c => components[c].Min())
                .First();
            placed.Add(next);
            order.AddRange(components[next]);
        }

        return ([.. order], components.Where(c => c.Length > 1).ToList());
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        var (ra, rb) = (Find(parent, a), Find(parent, b));
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
