using System.Runtime.InteropServices;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// SIGTERM as a request to stop, as Ctrl-C is: cluster schedulers send it before they kill, and a
/// run must then be left marked <c>interrupted</c> and resumable, not cut off mid-write as
/// <c>running</c>. The command sees its cancellation token cancelled; a command that does not stop
/// within the grace period is ended anyway, so SIGTERM always ends <c>ouro</c> within 5 s.
/// </summary>
internal sealed class Termination : IDisposable
{
    /// <summary>How long a command has to stop after SIGTERM before the process exits regardless.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(4);

    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _registration;

    public Termination()
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Requested = true;
            _stop.Cancel();
            _ = Task.Delay(Grace).ContinueWith(_ => Environment.Exit(ExitCodes.Terminated), TaskScheduler.Default);
        });
    }

    /// <summary>Cancelled when SIGTERM arrives.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Whether SIGTERM arrived: the exit code is then <see cref="ExitCodes.Terminated"/>.</summary>
    public bool Requested { get; private set; }

    public void Dispose()
    {
        _registration.Dispose();
        _stop.Dispose();
    }
}
