using System.Diagnostics;
using TorchSharp;

namespace Ouroboros.Training;

/// <summary>
/// What training costs on this machine (<c>ouro bench training</c>): SFT and DPO steps per second and
/// sampling tokens per second for a shape, at each thread count asked for, as medians over timed
/// repetitions after a warm-up; and the process's peak memory. Reported, never asserted.
/// </summary>
public static class TrainingBenchmark
{
    public sealed record Measurement(string Name, int Threads, int N, double MedianMs, double PerSecond, string Unit);

    public sealed record Result(TransformerShape Shape, long Parameters, IReadOnlyList<Measurement> Measurements, long PeakMemoryBytes, string NativeLibrary);

    public static Result Run(TransformerShape shape, IReadOnlyList<int> threads, int repetitions, Action<string> log, CancellationToken cancellationToken)
    {
        TorchRuntime.Initialize(threads[0]);
        torch.manual_seed(1);
        using var model = new TinyTransformer(shape);
        var random = new Random(1);
        string Digits(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('0' + random.Next(10))));
        var examples = Enumerable.Range(0, 256).Select(_ => { var d = Digits(5); return ($"sort {d}=", string.Concat(d.Order())); }).ToList();
        var pairs = examples.Select(e => (e.Item1, e.Item2, string.Concat(e.Item2.Reverse()))).ToList();
        var measurements = new List<Measurement>();
        foreach (var t in threads)
        {
            TorchRuntime.Initialize(t);
            measurements.Add(Time("SFT step (batch 32)", t, repetitions, 32, "examples/s", cancellationToken, () =>
                SupervisedFineTuning.Train(model, examples, new OptimizerSettings(1, 32, 1e-3), seed: random.Next())));
            measurements.Add(Time("DPO step (batch 32 pairs)", t, repetitions, 32, "pairs/s", cancellationToken, () =>
                DirectPreferenceOptimization.Train(model, pairs, new OptimizerSettings(1, 32, 1e-4), 0.1, seed: random.Next())));
            var prompts = Enumerable.Repeat("sort 31415=", 256).ToList();
            using var generator = new torch.Generator(1);
            measurements.Add(Time("sampling 256 rows × 6 tokens", t, Math.Max(3, repetitions / 5), 256 * 6, "tokens/s", cancellationToken, () =>
                Sampler.Continue(model, prompts, 6, 0.7, 0.9, generator)));
            foreach (var m in measurements.Where(m => m.Threads == t)) log($"{m.Name}, {t} thread(s): median {m.MedianMs:0.0} ms, {m.PerSecond:0} {m.Unit}");
        }
        return new Result(shape, model.ParameterCount, measurements, Process.GetCurrentProcess().PeakWorkingSet64, TorchRuntime.NativeLibrary ?? "");
    }

    private static Measurement Time(string name, int threads, int repetitions, int items, string unit, CancellationToken cancellationToken, Action work)
    {
        for (var i = 0; i < 3; i++) work();   // warm-up: first calls allocate and pick kernels
        var times = new List<double>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            work();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        return new Measurement(name, threads, repetitions, median, items * 1000.0 / median, unit);
    }
}
