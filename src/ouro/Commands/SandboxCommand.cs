using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Sandbox;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro sandbox run FILE.cs ...</c>: compile and run C# files in the sandbox, in order, on one pool.</summary>
public static class SandboxCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "C# files, each with a public static entry method", Arity = ArgumentArity.OneOrMore };
        var entry = new Option<string>("--entry") { Description = "The entry method, Type.Method, taking no parameters", DefaultValueFactory = _ => "Program.Run" };
        var timeout = new Option<int>("--timeout-ms") { Description = "Wall-clock limit per file", DefaultValueFactory = _ => 10_000 };
        var memory = new Option<int>("--memory-mb") { Description = "Memory cap of the worker", DefaultValueFactory = _ => 512 };
        var policy = new Option<string>("--policy") { Description = "on: static policy check first; off: test the OS layer alone", DefaultValueFactory = _ => "on" };
        policy.AcceptOnlyFromAmong("on", "off");
        var json = new Option<bool>("--json") { Description = "One JSON object per file, one per line" };

        var run = new Command("run", "Compile and run C# files in the sandbox; exit 0 whenever the sandbox did its job.")
        {
            files, entry, timeout, memory, policy, json,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var inputs = parse.GetValue(files)!;
            foreach (var file in inputs)
                if (!file.Exists) throw new UserError($"no such file: {file.FullName}");
            EntryPoint entryPoint;
            SandboxLimits limits;
            try
            {
                entryPoint = EntryPoint.Parse(parse.GetValue(entry)!);
                limits = new SandboxLimits
                {
                    WallClock = TimeSpan.FromMilliseconds(parse.GetValue(timeout)),
                    Cpu = TimeSpan.FromMilliseconds(parse.GetValue(timeout)),
                    MemoryMb = parse.GetValue(memory),
                }.Validate();
            }
            catch (ArgumentException e) { throw new UserError($"{e.Message} Pass e.g. --timeout-ms 2000 and --memory-mb 256."); }
            var applyPolicy = parse.GetValue(policy) == "on";
            var asJson = parse.GetValue(json);
            if (!applyPolicy) Console.Error.WriteLine("ouro: --policy off: the static policy is skipped; only the OS sandbox stands between these programs and the host.");

            await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { MemoryMb = limits.MemoryMb }, cancellationToken);
            foreach (var file in inputs)
            {
                var request = new ProgramRequest(await File.ReadAllTextAsync(file.FullName, cancellationToken), entryPoint, [new JsonArray()])
                {
                    Limits = limits, ApplyPolicy = applyPolicy,
                };
                var result = await pool.RunAsync(request, cancellationToken);
                if (asJson) Console.WriteLine(ToJson(file.Name, result, applyPolicy).ToJsonString());
                else PrintHuman(file.Name, result, Console.Out);
            }
            return ExitCodes.Ok;
        });
        return new Command("sandbox", "Run C# files in the sandbox.") { run };
    }

    internal static JsonObject ToJson(string file, ProgramRun run, bool policy)
    {
        var invocation = run.Invocations.FirstOrDefault();
        var status = run.Status == RunStatus.Ok && invocation is not null ? invocation.Status : run.Status;
        var diagnostics = new JsonArray();
        foreach (var d in run.Diagnostics)
            diagnostics.Add(new JsonObject { ["line"] = d.Line, ["column"] = d.Column, ["id"] = d.Id, ["message"] = d.Message });
        var events = new JsonArray();
        foreach (var e in run.Events)
            events.Add(new JsonObject { ["kind"] = e.Kind, ["programHash"] = e.ProgramHash, ["detail"] = e.Detail });
        return new JsonObject
        {
            ["file"] = file,
            ["status"] = status.Name(),
            ["result"] = invocation?.Result?.DeepClone(),
            ["stdout"] = invocation?.Stdout ?? "",
            ["error"] = invocation?.Error,
            ["diagnostics"] = diagnostics,
            ["events"] = events,
            ["compileMs"] = Math.Round(run.CompileMs, 2),
            ["runMs"] = Math.Round(invocation?.RunMs ?? 0, 2),
            ["programHash"] = run.ProgramHash,
            ["policy"] = policy ? "on" : "off",
            ["sandboxed"] = !run.Unsandboxed,
        };
    }

    /// <summary>The run for a person: everything the program produced goes through <see cref="Printable"/>, so its escape sequences print as text.</summary>
    internal static void PrintHuman(string file, ProgramRun run, TextWriter output)
    {
        var o = ToJson(file, run, true);
        output.WriteLine($"{Printable.Text(file)}: {o["status"]}  compile {o["compileMs"]} ms, run {o["runMs"]} ms{(run.Unsandboxed ? "  [UNSANDBOXED]" : "")}");
        foreach (var d in run.Diagnostics) output.WriteLine($"  {Printable.Text(d.ToString())}");
        if (o["error"] is { } error) output.WriteLine($"  error: {Printable.Text((string?)error)}");
        if (o["result"] is { } result) output.WriteLine($"  result: {result.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}");
        if (!string.IsNullOrEmpty((string?)o["stdout"])) output.WriteLine($"  stdout: {Printable.Text(((string)o["stdout"]!).TrimEnd())}");
        foreach (var e in run.Events) output.WriteLine($"  event {e.Kind}: {Printable.Text(e.Detail)}");
    }
}
