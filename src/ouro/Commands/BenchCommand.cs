using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Bench;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro bench sandbox</c> and <c>ouro bench training</c>: what a sandboxed evaluation and a training step cost, measured here and now.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (medians in ms as floorMs, warmMs, freshMs, compileMs)" };
        var warm = new Option<int>("--warm-runs") { Description = "Warm-pool evaluations to time", DefaultValueFactory = _ => 1000 };
        var fresh = new Option<int>("--fresh-runs") { Description = "Fresh-process evaluations to time", DefaultValueFactory = _ => 20 };
        var compile = new Option<int>("--compile-runs") { Description = "Warm compiles to time (after Roslyn's warm-up)", DefaultValueFactory = _ => 300 };
        var warmUp = new Option<int>("--warm-up-compiles")
        {
            Description = "Compiles that warm Roslyn first: at least this many, then on while a hundred's median still falls (at most 4000; below 200, exactly this many)",
            DefaultValueFactory = _ => SandboxBenchmark.DefaultWarmUpCompiles,
        };
        var sandbox = new Command("sandbox", "Floor, warm pool, fresh process and warm compile: medians, p95 and ratios to the floor.") { json, warm, fresh, compile, warmUp };
        sandbox.SetAction(async (parse, cancellationToken) =>
        {
            var (w, f, c, u) = (parse.GetValue(warm), parse.GetValue(fresh), parse.GetValue(compile), parse.GetValue(warmUp));
            if (w < 10 || f < 3 || c < 10 || u < 10)
                throw new UserError("use at least --warm-runs 10, --fresh-runs 3, --compile-runs 10 and --warm-up-compiles 10 for a median worth reading.");
            var result = await SandboxBenchmark.RunAsync(w, f, c, u, line => Console.Error.WriteLine($"bench: {line}"), cancellationToken);
            if (parse.GetValue(json))
            {
                var o = new JsonObject
                {
                    ["floorMs"] = result.Floor.MedianMs, ["warmMs"] = result.Warm.MedianMs,
                    ["freshMs"] = result.Fresh.MedianMs, ["compileMs"] = result.Compile.MedianMs,
                    ["isolation"] = result.Isolation,
                };
                foreach (var m in new[] { result.Floor, result.Warm, result.Fresh, result.Compile })
                    o[m.Name] = new JsonObject { ["n"] = m.N, ["medianMs"] = m.MedianMs, ["p95Ms"] = m.P95Ms, ["stealPercent"] = m.StealPercent };
                o["freshOverWarm"] = result.Fresh.MedianMs / result.Warm.MedianMs;
                o["compileWarmUp"] = new JsonObject { ["compiles"] = result.WarmUp.Compiles, ["first100MedianMs"] = result.WarmUp.First100MedianMs };
                Console.WriteLine(o.ToJsonString());
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{"measurement",-44} {"n",6} {"median",12} {"p95",12} {"× floor",12}");
            foreach (var (m, label) in new[]
            {
                (result.Floor, "direct in-process call (floor)"), (result.Warm, "warm pool, compiled candidate"),
                (result.Fresh, "fresh isolated process per evaluation"), (result.Compile, "warm compile, ~60-line candidate"),
            })
                Console.WriteLine($"{label,-44} {m.N,6} {m.MedianMs,9:0.0000} ms {m.P95Ms,9:0.0000} ms {m.MedianMs / result.Floor.MedianMs,12:0}");
            Console.WriteLine($"fresh process / warm pool: {result.Fresh.MedianMs / result.Warm.MedianMs:0.0}×   ({result.Isolation})");
            if (result.Warm.StealPercent is { } steal)
                Console.WriteLine($"CPU stolen by the hypervisor during the warm-pool measurement: {steal:0.0}%{(steal >= 2 ? " (other guests were busy: its latencies read high)" : "")}");
            Console.WriteLine($"warm compile timed after {result.WarmUp.Compiles} warm-up compiles; the first {Math.Min(100, result.WarmUp.Compiles)} after the pool started: median {result.WarmUp.First100MedianMs:0.0} ms");
            return ExitCodes.Ok;
        });
        return new Command("bench", "Measure the speed of the machinery.") { sandbox, Training() };
    }

    private static Command Training()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed steps per measurement (after 3 warm-up steps)", DefaultValueFactory = _ => 30 };
        var threads = new Option<string>("--threads") { Description = "Thread counts to measure, comma-separated", DefaultValueFactory = _ => "1,2" };
        var command = new Command("training", "SFT and DPO steps per second, sampling tokens per second and peak memory of the small transformer the demonstrations train.") { json, repetitions, threads };
        command.SetAction((parse, cancellationToken) =>
        {
            var counts = parse.GetValue(threads)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.TryParse(t, out var n) && n >= 1 ? n : throw new UserError($"--threads takes positive whole numbers separated by commas, not '{t}'.")).ToList();
            if (counts.Count == 0) throw new UserError("--threads needs at least one thread count, e.g. --threads 1,2.");
            if (parse.GetValue(repetitions) < 5) throw new UserError("use at least --repetitions 5 for a median worth reading.");
            var demo = new Ouroboros.SelfRewarding.DemoSettings();
            var shape = new Ouroboros.Training.TransformerShape(demo.Layers, demo.Width, demo.Heads, demo.Context);
            var result = Ouroboros.Training.TrainingBenchmark.Run(shape, counts, parse.GetValue(repetitions), line => Console.Error.WriteLine($"bench: {line}"), cancellationToken);
            if (parse.GetValue(json))
            {
                var o = new JsonObject
                {
                    ["shape"] = System.Text.Json.JsonSerializer.SerializeToNode(result.Shape), ["parameters"] = result.Parameters,
                    ["peakMemoryBytes"] = result.PeakMemoryBytes, ["nativeLibrary"] = result.NativeLibrary,
                    ["measurements"] = new JsonArray(result.Measurements.Select(m => (JsonNode)new JsonObject
                    {
                        ["name"] = m.Name, ["threads"] = m.Threads, ["n"] = m.N, ["medianMs"] = m.MedianMs, ["perSecond"] = m.PerSecond, ["unit"] = m.Unit,
                    }).ToArray()),
                };
                Console.WriteLine(o.ToJsonString());
                return Task.FromResult(ExitCodes.Ok);
            }
            Console.WriteLine($"transformer {result.Shape.Layers} layers × width {result.Shape.Width}, {result.Parameters:N0} parameters; libtorch loaded {result.NativeLibrary}");
            Console.WriteLine($"{"measurement",-32} {"threads",8} {"n",4} {"median",12} {"rate",20}");
            foreach (var m in result.Measurements)
                Console.WriteLine($"{m.Name,-32} {m.Threads,8} {m.N,4} {m.MedianMs,9:0.0} ms {m.PerSecond,10:0} {m.Unit}");
            Console.WriteLine($"peak memory (resident): {result.PeakMemoryBytes / 1048576.0:0} MiB");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
