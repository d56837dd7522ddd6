namespace ActorSync.Actors.Internal;

/// <summary>A child of a supervisor and the failures counted against its retry limit.</summary>
internal sealed class ChildRestartStats(IInternalActorRef child)
{
    private int _restartCount;
    private long _windowStart;

    public IInternalActorRef Child { get; } = child;

    /// <summary>Whether one more restart is allowed; counts it when it is.</summary>
    public bool RequestRestartPermission(int maxNrOfRetries, int withinTimeMilliseconds)
    {
        if (maxNrOfRetries == 0)
        {
            return false;
        }

        var retriesDefined = maxNrOfRetries > 0;
        var windowDefined = withinTimeMilliseconds > 0;
        if (retriesDefined && !windowDefined)
        {
            _restartCount++;
            return _restartCount <= maxNrOfRetries;
        }

        if (windowDefined)
        {
            // As in Akka: unlimited retries with a window still allow one restart per window.
            return RetriesInWindowOkay(retriesDefined ? maxNrOfRetries : 1, withinTimeMilliseconds);
        }

        return true;
    }

    private bool RetriesInWindowOkay(int retries, int window)
    {
        var retriesDone = _restartCount + 1;
        var now = Environment.TickCount64;
        if (_windowStart == 0)
        {
            _windowStart = now;
        }

        if (now - _windowStart <= window)
        {
            _restartCount = retriesDone;
            return retriesDone <= retries;
        }

        // The window has passed: the count starts again with this failure.
        _restartCount = 1;
        _windowStart = now;
        return true;
    }
}
