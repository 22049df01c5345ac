namespace Ouroboros.Sandbox;

/// <summary>How the sandbox's worker pool is sized and when it retires workers.</summary>
public sealed record WorkerPoolOptions
{
    /// <summary>Workers per nesting level; by default one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Most idle workers kept warm for the next program; by default 2 × <see cref="Workers"/>. A run
    /// whose improver runs go side by side keeps one per run in flight (each waits on the host on
    /// its own worker): fewer, and every burst would start new worker processes, at ~0.3 s each.
    /// </summary>
    public int? IdleWorkers { get; init; }

    /// <summary>A worker is retired after this many programs, whatever happened, to bound what one can accumulate.</summary>
    public int RecycleAfterPrograms { get; init; } = 200;

    /// <summary>Memory cap of the workers started at pool start (requests with other caps get their own workers).</summary>
    public int MemoryMb { get; init; } = SandboxLimits.Default.MemoryMb;

    /// <summary>Fail instead of falling back to plain child processes when bubblewrap is missing or broken.</summary>
    public bool RequireBubblewrap { get; init; } = Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_BWRAP") == "1";

    /// <summary>
    /// How long compiling and checking one program may take before it is a <c>compile_error</c>: a
    /// kilobyte of nested lambdas over overloaded methods can keep Roslyn busy for hours.
    /// </summary>
    public TimeSpan CompileDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the one loud warning about a missing sandbox goes; standard error by default.</summary>
    public Action<string> Warn { get; init; } = message => Console.Error.WriteLine(message);

    /// <summary>
    /// Told the process id of each worker once it is warm. For tests that must kill a worker the way
    /// a hostile leftover would, now that no program the policy allows can.
    /// </summary>
    internal Action<int>? WorkerStarted { get; init; }

    public WorkerPoolOptions Validate()
    {
        if (Workers < 1) throw new ArgumentException($"A pool needs at least one worker, not {Workers}.");
        if (IdleWorkers < 0) throw new ArgumentException($"IdleWorkers cannot be negative, not {IdleWorkers}.");
        if (RecycleAfterPrograms < 1) throw new ArgumentException("RecycleAfterPrograms must be at least 1.");
        if (CompileDeadline <= TimeSpan.Zero) throw new ArgumentException($"CompileDeadline must be positive, not {CompileDeadline}.");
        return this;
    }
}
