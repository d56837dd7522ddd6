using ActorSync.Actors.Event;

namespace ActorSync.Actors.Internal;

/// <summary>
/// Logs dead letters, rate-limited: after <see cref="ActorSystemSettings.LogDeadLetters"/> entries logging pauses for
/// <see cref="ActorSystemSettings.LogDeadLettersSuspendDuration"/>, then starts again. Suppressed dead letters are not
/// logged. It lives under <c>/system</c>, so it outlives the user actors during shutdown.
/// </summary>
internal sealed class DeadLetterListener : ActorBase
{
    private readonly ActorSystem _system;
    private long _count;
    private long _loggedInWindow;
    private long _suspendedUntil;

    public DeadLetterListener()
    {
        _system = Context.System;
    }

    protected override bool Receive(object message)
    {
        if (message is not DeadLetter deadLetter)
        {
            return message is AllDeadLetters;
        }

        _count++;
        var settings = _system.Settings;
        if (_system.IsTerminating && !settings.LogDeadLettersDuringShutdown)
        {
            return true;
        }

        var now = Environment.TickCount64;
        if (_suspendedUntil != 0)
        {
            if (now < _suspendedUntil)
            {
                return true;
            }

            _suspendedUntil = 0;
            _loggedInWindow = 0;
        }

        _loggedInWindow++;
        var messageType = deadLetter.Message.GetType().FullName ?? "?";
        if (_loggedInWindow >= settings.LogDeadLetters)
        {
            _suspendedUntil = now + (long)settings.LogDeadLettersSuspendDuration.TotalMilliseconds;
            LogMessages.DeadLettersSuspended(
                _system.KernelLogger, messageType, deadLetter.Sender.ToString()!, deadLetter.Recipient.ToString()!, _count,
                settings.LogDeadLettersSuspendDuration);
        }
        else
        {
            LogMessages.DeadLetter(
                _system.KernelLogger, messageType, deadLetter.Sender.ToString()!, deadLetter.Recipient.ToString()!, _count,
                deadLetter.Message.ToString() ?? string.Empty);
        }

        return true;
    }
}
