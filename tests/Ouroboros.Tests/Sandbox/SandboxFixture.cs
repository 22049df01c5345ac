using System.Text.Json.Nodes;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>One warm pool shared by the sandbox tests, as a run would share it.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public WorkerPool Pool { get; private set; } = null!;

    public async Task InitializeAsync() => Pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 2, Warn = _ => { } });

    public async Task DisposeAsync() => await Pool.DisposeAsync();

    /// <summary>Runs <c>Program.Run()</c> of <paramref name="source"/> once.</summary>
    public async Task<(ProgramRun Run, InvocationResult? Result)> RunAsync(string source, bool policy = true, int timeoutMs = 5000, int memoryMb = 256)
    {
        var run = await Pool.RunAsync(new ProgramRequest(source, new EntryPoint("Program", "Run"), [new JsonArray()])
        {
            ApplyPolicy = policy,
            Limits = new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(timeoutMs), Cpu = TimeSpan.FromMilliseconds(timeoutMs * 2), MemoryMb = memoryMb },
        });
        return (run, run.Invocations.FirstOrDefault());
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}

/// <summary>
/// A test that needs bubblewrap: skipped with the reason where it is missing, failed instead when
/// OUROBOROS_REQUIRE_BWRAP=1 (CI installs it, so CI always tests the strong path).
/// </summary>
public sealed class BubblewrapFactAttribute : FactAttribute
{
    public BubblewrapFactAttribute() => Skip = SkipReason("this test checks OS isolation");

    /// <summary>Why a test that needs bubblewrap is skipped here, or null when it runs (installed, or required by OUROBOROS_REQUIRE_BWRAP=1).</summary>
    public static string? SkipReason(string what)
    {
        var present = File.Exists("/usr/bin/bwrap") || File.Exists("/bin/bwrap") || File.Exists("/usr/local/bin/bwrap");
        return present || Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_BWRAP") == "1"
            ? null : $"bubblewrap is not installed (sudo apt-get install -y bubblewrap); {what}";
    }
}

/// <summary>
/// A test of the cgroup caps, which need root and cgroup v1: skipped with the reason elsewhere,
/// failed instead when OUROBOROS_REQUIRE_CGROUPS=1 (CI sets it when it runs as root).
/// </summary>
public sealed class CgroupFactAttribute : FactAttribute
{
    public CgroupFactAttribute()
    {
        if (!CgroupLimits.Available() && Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_CGROUPS") != "1")
            Skip = "cgroup caps need root and cgroup v1 memory and pids controllers; this test checks them";
    }
}
