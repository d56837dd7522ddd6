using System.Diagnostics;

namespace ActorSync.Actors.Internal;

internal sealed partial class ActorCell
{
    // The receive timeout in Stopwatch ticks (0 = off). The timer thread reads it, so it is a long, read atomically.
    private long _receiveTimeoutTicks;
    private long _lastActivity;
    private long _lastFired;
    private Timer? _receiveTimeoutTimer;

    TimeSpan? IActorContext.ReceiveTimeout =>
        Volatile.Read(ref _receiveTimeoutTicks) is var ticks and > 0 ? Stopwatch.GetElapsedTime(0, ticks) : null;

    private void SetReceiveTimeoutCore(TimeSpan? timeout)
    {
        if (timeout is not { } value || value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            CancelReceiveTimeout();
            return;
        }

        var ticks = (long)(value.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _receiveTimeoutTicks, Math.Max(1, ticks));
        TouchReceiveTimeout();
        _receiveTimeoutTimer ??= new Timer(static state => ((ActorCell)state!).OnReceiveTimeoutTimer(), this, Timeout.Infinite, Timeout.Infinite);
        _receiveTimeoutTimer.Change(value, Timeout.InfiniteTimeSpan);
    }

    private void TouchReceiveTimeout() => Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());

    private void CancelReceiveTimeout()
    {
        Volatile.Write(ref _receiveTimeoutTicks, 0);
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = null;
    }

    // Runs on a timer thread. Rather than re-arming a timer after every message (costly on the hot path), each
    // message only records the time; the timer checks how long the actor has really been idle.
    private void OnReceiveTimeoutTimer()
    {
        var timeout = Volatile.Read(ref _receiveTimeoutTicks);
        var timer = _receiveTimeoutTimer;
        if (timeout <= 0 || timer is null)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var idleSince = Math.Max(Volatile.Read(ref _lastActivity), Volatile.Read(ref _lastFired));
        var idle = now - idleSince;
        long wait;
        if (idle >= timeout)
        {
            Volatile.Write(ref _lastFired, now);
            _self.Tell(ReceiveTimeout.Instance, null);
            wait = timeout;
        }
        else
        {
            wait = timeout - idle;
        }

        try
        {
            timer.Change(Stopwatch.GetElapsedTime(0, wait), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Cancelled meanwhile.
        }
    }
}
