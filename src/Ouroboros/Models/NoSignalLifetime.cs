using Microsoft.Extensions.Hosting;

namespace Ouroboros.Models;

/// <summary>
/// A host lifetime that leaves the process's signals alone. ASP.NET Core's console lifetime takes
/// SIGTERM and SIGINT for itself, cancels the process's termination and only stops the web app:
/// <c>ouro serve-model</c> then kept running after SIGTERM until it was killed. The command that
/// owns the server decides when to stop.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
