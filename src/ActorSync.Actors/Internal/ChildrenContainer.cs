namespace ActorSync.Actors.Internal;

/// <summary>
/// The children of one actor. Locked, because a system's <c>ActorOf</c> (and a test probe's <c>ChildActorOf</c>) adds
/// children from outside the parent's turn. A name stays taken until the parent has processed the child's termination.
/// </summary>
internal sealed class ChildrenContainer
{
    // Most actors never have children: the collections are created with the first one.
    private readonly object _lock = new();
    private Dictionary<string, ChildRestartStats>? _childrenByName;
    private HashSet<string>? _reservedNames;
    private HashSet<IInternalActorRef>? _dying;
    private bool _terminating;

    private Dictionary<string, ChildRestartStats> ByName => _childrenByName ??= new(StringComparer.Ordinal);

    private HashSet<string> Reserved => _reservedNames ??= new(StringComparer.Ordinal);

    private HashSet<IInternalActorRef> Dying => _dying ??= [];

    public int ToDieCount
    {
        get
        {
            lock (_lock)
            {
                return _dying?.Count ?? 0;
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _childrenByName is null || _childrenByName.Count == 0;
            }
        }
    }

    public void Reserve(string name, ActorPath parentPath)
    {
        lock (_lock)
        {
            if (_terminating)
            {
                throw new InvalidOperationException($"Cannot create child [{name}] of [{parentPath}]: it is terminating.");
            }

            if (ByName.ContainsKey(name) || !Reserved.Add(name))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique among the children of [{parentPath}].");
            }
        }
    }

    public void Unreserve(string name)
    {
        lock (_lock)
        {
            Reserved.Remove(name);
        }
    }

    public void Initialize(string name, IInternalActorRef child)
    {
        lock (_lock)
        {
            Reserved.Remove(name);
            ByName[name] = new ChildRestartStats(child);
        }
    }

    public ChildRestartStats? GetStats(IActorRef child)
    {
        lock (_lock)
        {
            return ByName.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child) ? stats : null;
        }
    }

    public IActorRef? GetByName(string name)
    {
        lock (_lock)
        {
            return ByName.TryGetValue(name, out var stats) ? stats.Child : null;
        }
    }

    public bool IsStopping(IActorRef child)
    {
        lock (_lock)
        {
            return child is IInternalActorRef internalRef && Dying.Contains(internalRef);
        }
    }

    /// <summary>All children, including stopping ones.</summary>
    public List<IInternalActorRef> Children()
    {
        lock (_lock)
        {
            return _childrenByName is null ? [] : [.. _childrenByName.Values.Select(s => s.Child)];
        }
    }

    /// <summary>The children that are not being stopped, with their restart counters.</summary>
    public List<ChildRestartStats> LiveStats()
    {
        lock (_lock)
        {
            return [.. ByName.Values.Where(s => !Dying.Contains(s.Child))];
        }
    }

    public void ShallDie(IActorRef child)
    {
        lock (_lock)
        {
            if (child is IInternalActorRef internalRef && ByName.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child))
            {
                Dying.Add(internalRef);
            }
        }
    }

    /// <summary>Marks every child to die; with <paramref name="terminating"/> no new child may be created afterwards.</summary>
    public List<IInternalActorRef> StopAll(bool terminating)
    {
        lock (_lock)
        {
            _terminating |= terminating;
            foreach (var stats in ByName.Values)
            {
                Dying.Add(stats.Child);
            }

            return [.. Dying];
        }
    }

    /// <summary>Removes a terminated child; returns whether it was one of ours.</summary>
    public bool Remove(IActorRef child)
    {
        lock (_lock)
        {
            if (child is not IInternalActorRef internalRef)
            {
                return false;
            }

            Dying.Remove(internalRef);
            if (ByName.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child))
            {
                ByName.Remove(child.Path.Name);
                return true;
            }

            return false;
        }
    }
}
