using Microsoft.Extensions.AI;
using Ouroboros.Runs;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Tests.Stop;

/// <summary>A STOP run's parts over a store the test made, as the run frame builds them, without a CLI.</summary>
internal static class TestRuns
{
    public static StopRun Stop(IRunStore store, ISandbox sandbox, IChatClient model, DownstreamTask task, ImproverOptions options, string runId = "r") =>
        new(new RunContext(runId, store, sandbox, model, new RunProgress(), options.Parallel), options, [task]);
}
