using ActorSync.Actors;

namespace ActorSync.Hosting;

/// <summary>Gives the admin endpoints the running engine (null until the host has started).</summary>
public sealed class EngineAccessor
{
    public SyncEngine? Engine { get; set; }
}
