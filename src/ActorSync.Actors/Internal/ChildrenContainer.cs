namespace ActorSync.Actors.Internal;

/// <summary>
/// The children of one actor. Locked, because a system's <c>ActorOf</c> (and a test probe's <c>ChildActorOf</c>) adds
/// children from outside the parent's turn. A name stays taken until the parent has processed the child's termination.
/// </summary>
internal sealed class ChildrenContainer
{
    private readonly object _lock = new();
    private readonly Dictionary<string, ChildRestartStats> _children = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<IInternalActorRef> _toDie = [];
    private bool _terminating;

    public int ToDieCount
    {
        get
        {
            lock (_lock)
            {
                return _toDie.Count;
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _children.Count == 0;
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

            if (_children.ContainsKey(name) || !_reserved.Add(name))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique among the children of [{parentPath}].");
            }
        }
    }

    public void Unreserve(string name)
    {
        lock (_lock)
        {
            _reserved.Remove(name);
        }
    }

    public void Initialize(string name, IInternalActorRef child)
    {
        lock (_lock)
        {
            _reserved.Remove(name);
            _children[name] = new ChildRestartStats(child);
        }
    }

    public ChildRestartStats? GetStats(IActorRef child)
    {
        lock (_lock)
        {
            return _children.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child) ? stats : null;
        }
    }

    public IActorRef? GetByName(string name)
    {
        lock (_lock)
        {
            return _children.TryGetValue(name, out var stats) ? stats.Child : null;
        }
    }

    public bool IsStopping(IActorRef child)
    {
        lock (_lock)
        {
            return child is IInternalActorRef internalRef && _toDie.Contains(internalRef);
        }
    }

    /// <summary>All children, including stopping ones.</summary>
    public List<IInternalActorRef> Children()
    {
        lock (_lock)
        {
            return [.. _children.Values.Select(s => s.Child)];
        }
    }

    /// <summary>The children that are not being stopped, with their restart counters.</summary>
    public List<ChildRestartStats> LiveStats()
    {
        lock (_lock)
        {
            return [.. _children.Values.Where(s => !_toDie.Contains(s.Child))];
        }
    }

    public void ShallDie(IActorRef child)
    {
        lock (_lock)
        {
            if (child is IInternalActorRef internalRef && _children.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child))
            {
                _toDie.Add(internalRef);
            }
        }
    }

    /// <summary>Marks every child to die; with <paramref name="terminating"/> no new child may be created afterwards.</summary>
    public List<IInternalActorRef> StopAll(bool terminating)
    {
        lock (_lock)
        {
            _terminating |= terminating;
            foreach (var stats in _children.Values)
            {
                _toDie.Add(stats.Child);
            }

            return [.. _toDie];
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

            _toDie.Remove(internalRef);
            if (_children.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child))
            {
                _children.Remove(child.Path.Name);
                return true;
            }

            return false;
        }
    }
}
