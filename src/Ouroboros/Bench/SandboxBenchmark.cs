using System.Diagnostics;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Sandbox;
using Ouroboros.Statistics;

namespace Ouroboros.Bench;

/// <summary>
/// Measures, in one run, what a sandboxed evaluation costs against the physical floor: a direct
/// in-process call, a warm-pool evaluation of an already compiled candidate, a fresh isolated process
/// per evaluation, and a warm compile of a ~60-line candidate.
/// </summary>
public static class SandboxBenchmark
{
    /// <summary>Median and 95th percentile of one measurement, in milliseconds, over n samples.</summary>
    public sealed record Measurement(string Name, int N, double MedianMs, double P95Ms)
    {
        /// <summary>CPU time the hypervisor gave to other guests while this was measured, where /proc/stat tells.</summary>
        public double? StealPercent { get; init; }
    }

    /// <summary>
    /// How Roslyn warmed up before <see cref="Result.Compile"/> was timed: compiles done, and the
    /// median of the first hundred of them (what a pool's first candidates pay; of all of them when
    /// there were fewer).
    /// </summary>
    public sealed record CompileWarmUp(int Compiles, double First100MedianMs);

    public sealed record Result(Measurement Floor, Measurement Warm, Measurement Fresh, Measurement Compile, CompileWarmUp WarmUp, string Isolation);

    /// <summary>Compiles that warm Roslyn before the warm compile is timed, unless the caller says otherwise.</summary>
    public const int DefaultWarmUpCompiles = 300;

    /// <summary>Where the warm-up stops extending itself: the JIT keeps improving Roslyn's code for about 1,500 compiles here.</summary>
    private const int MaxWarmUpCompiles = 4000, WarmUpWindow = 100;

    private const string Trivial = "public static class Program { public static long Run() { long s = 0; for (int i = 0; i < 100; i++) s += i; return s; } }";

    /// <summary>
    /// Runs the four measurements with these sample counts; <paramref name="warmUpCompiles"/> is the
    /// least number of compiles that warm Roslyn before the warm compile is timed (see <see cref="WarmUpCompiler"/>).
    /// </summary>
    public static async Task<Result> RunAsync(int warmRuns, int freshRuns, int compileRuns, int warmUpCompiles, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = progress }, cancellationToken);
        progress($"isolation: {pool.Isolation}");

        progress("floor: direct in-process calls");
        var floor = Floor(pool.Compiler.Compile(Trivial).Image!);

        progress($"warm pool: {warmRuns} evaluations of a compiled candidate");
        var request = new ProgramRequest(Trivial, new EntryPoint("Program", "Run"), [new JsonArray()]);
        for (int i = 0; i < 50; i++) await pool.RunAsync(request, cancellationToken); // JIT and caches
        var steal = new CpuSteal();
        var warm = await TimeAsync("warm", warmRuns, async () => (await pool.RunAsync(request, cancellationToken)).Invocations.FirstOrDefault());

        warm = warm with { StealPercent = steal.PercentSinceStart() };

        progress($"fresh process: {freshRuns} evaluations, each in a new isolated worker");
        steal = new CpuSteal();
        var fresh = await TimeAsync("fresh", freshRuns, () => pool.RunInFreshWorkerAsync(request, cancellationToken));

        fresh = fresh with { StealPercent = steal.PercentSinceStart() };

        var compiler = new CSharpCompiler();
        progress($"compile: warming Roslyn, at least {warmUpCompiles} compiles, until its compile time stops falling (tiered JIT with dynamic PGO)");
        var warmUp = WarmUpCompiler(compiler, warmUpCompiles);
        progress($"compile: steady after {warmUp.Compiles} compiles (the first {Math.Min(WarmUpWindow, warmUp.Compiles)}: median {warmUp.First100MedianMs:0.0} ms); timing {compileRuns}");
        var compileSamples = new List<double>();
        steal = new CpuSteal();
        for (int i = 0; i < compileRuns; i++)
        {
            var source = SixtyLines(i);
            var clock = Stopwatch.StartNew();
            compiler.Compile(source);
            compileSamples.Add(clock.Elapsed.TotalMilliseconds);
        }
        var compile = Summarise("compile", compileSamples) with { StealPercent = steal.PercentSinceStart() };
        return new Result(floor, warm, fresh, compile, warmUp, pool.Isolation);
    }

    /// <summary>
    /// Compiles distinct ~60-line candidates: at least <paramref name="minimum"/>, then on in blocks of
    /// a hundred while the median of the last hundred is still more than 2% below every hundred before
    /// (at most <see cref="MaxWarmUpCompiles"/>). A long run compiles thousands of candidates, so this
    /// steady state is what it pays per compile. A warm-up shorter than two hundred is not extended:
    /// there are no two hundreds to compare (a quick check of the command, not a measurement).
    /// </summary>
    private static CompileWarmUp WarmUpCompiler(CSharpCompiler compiler, int minimum)
    {
        var times = new List<double>();
        int most = Math.Max(minimum, MaxWarmUpCompiles);
        while (times.Count < minimum || (times.Count < most && StillFalling(times)))
        {
            var clock = Stopwatch.StartNew();
            compiler.Compile(SixtyLines(-times.Count - 1));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new CompileWarmUp(times.Count, Percentiles.Median(times.GetRange(0, Math.Min(WarmUpWindow, times.Count))));
    }

    /// <summary>Whether the compile time may still be falling: a block is unfinished, or the last block's median is 2% below every one before.</summary>
    private static bool StillFalling(List<double> times)
    {
        if (times.Count < 2 * WarmUpWindow) return false;
        if (times.Count % WarmUpWindow != 0) return true;
        var medians = Enumerable.Range(0, times.Count / WarmUpWindow)
            .Select(b => Percentiles.Median(times.GetRange(b * WarmUpWindow, WarmUpWindow))).ToList();
        return medians[^1] <= medians.SkipLast(1).Min() * 0.98;
    }

    private static Measurement Floor(byte[] image)
    {
        var context = new AssemblyLoadContext("bench-floor", isCollectible: true);
        var run = context.LoadFromStream(new MemoryStream(image)).GetType("Program")!.GetMethod("Run")!.CreateDelegate<Func<long>>();
        for (int i = 0; i < 200_000; i++) run();
        var samples = new List<double>();
        for (int batch = 0; batch < 1000; batch++) samples.Add(TimeBatch(run, 1000) / 1000);
        context.Unload();
        return Summarise("floor", samples);
    }

    private static double TimeBatch(Func<long> run, int calls)
    {
        var start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static async Task<Measurement> TimeAsync(string name, int n, Func<Task<InvocationResult?>> evaluate)
    {
        var samples = new List<double>(n);
        for (int i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await evaluate();
            samples.Add(clock.Elapsed.TotalMilliseconds);
            if (result?.Status != RunStatus.Ok)
                throw new InvalidOperationException($"benchmark candidate failed: {result?.Status} {result?.Error}");
        }
        return Summarise(name, samples);
    }

    private static Measurement Summarise(string name, List<double> samples) =>
        new(name, samples.Count, Percentiles.Median(samples), Percentiles.Of(samples, 0.95));

    /// <summary>A ~60-line candidate (helpers, a record struct, LINQ, interpolation); a constant differs per call so every compile misses the cache.</summary>
    public static string SixtyLines(int variant) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        namespace Candidates
        {
            public readonly record struct Bucket(int Low, int High, int Count);

            public static class Candidate
            {
                private const int Offset = {{variant}};

                public static long Evaluate(int[] xs)
                {
                    long total = Offset;
                    foreach (var x in xs) total += x;
                    return total + TopK(xs, 3).Sum() + (long)Mean(xs);
                }

                public static double Mean(IReadOnlyList<int> xs)
                {
                    if (xs.Count == 0) return 0;
                    double sum = 0;
                    for (int i = 0; i < xs.Count; i++) sum += xs[i];
                    return sum / xs.Count;
                }

                public static IEnumerable<int> TopK(IEnumerable<int> xs, int k) =>
                    xs.OrderByDescending(x => x).Take(k);

                public static List<Bucket> Histogram(int[] xs, int buckets)
                {
                    var result = new List<Bucket>();
                    if (xs.Length == 0) return result;
                    int min = xs.Min(), max = xs.Max();
                    int width = Math.Max(1, (max - min + buckets) / buckets);
                    for (int b = 0; b < buckets; b++)
                    {
                        int low = min + b * width, high = low + width;
                        result.Add(new Bucket(low, high, xs.Count(x => x >= low && x < high)));
                    }
                    return result;
                }

                public static string Describe(int[] xs)
                {
                    var h = Histogram(xs, 4);
                    var parts = h.Select(b => $"[{b.Low},{b.High}): {b.Count}");
                    return $"n={xs.Length}, mean={Mean(xs):F2}, buckets: {string.Join("; ", parts)}";
                }

                public static int Variance(int[] xs)
                {
                    var m = Mean(xs);
                    return (int)xs.Select(x => (x - m) * (x - m)).Sum();
                }
            }
        }
        """;
}
