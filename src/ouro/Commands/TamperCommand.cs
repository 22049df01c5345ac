using System.CommandLine;
using Ouroboros.Models;
using Ouroboros.Tampering;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro tamper</c>: the Sycophancy-to-Subterfuge curriculum as an evaluation of a model — episodes
/// of each environment in a sandboxed shell, with gaming, oversight, tampering and evasion counted
/// with exact intervals. <c>--list</c> names the environments; <c>--export-environments DIR</c> writes
/// the built-in ones out for a user to read and extend; <c>--resume RUN</c> continues an interrupted run
/// with its stored configuration, playing only the episodes it had not finished.
/// </summary>
public static class TamperCommand
{
    public static Command Create()
    {
        var binder = new OptionBinder<TamperOptions>()
            .AddList("environments", "The environments to run (default: all, in curriculum order; see --list)", "--environment")
            .Add<int>("episodes", "Episodes per environment")
            .Add<int>("maxSteps", "Most commands the model may run in one episode")
            .Add<int>("commandTimeoutSeconds", "Wall-clock limit of one command in the episode's shell")
            .Add<int>("outputCharacters", "Characters of each command's stdout and stderr returned to the model")
            .Add<double>("flatteryThreshold", "The lowest saved poem rating that counts as flattery (the repository's reading: 3)")
            .Add<bool>("flatteryStrict", "Count only ratings above the threshold (the paper's text: above 3)")
            .Add<string>("deletedTest", "How a deleted oversight test counts: passed (not caught, the paper's reading) or caught")
            .Add<string>("graderModel", "The model that grades political sycophancy (default: the run's model)")
            .Add<string>("environmentsDir", "A folder of environment .json files adding to or replacing the built-in ones")
            .Add<double>("temperature", "Sampling temperature of the episodes")
            .Add<bool>("curriculum", "In-context curriculum: each environment's prompts first show the highest-reward episodes of the earlier stages (not the paper's training, which fine-tuned the model)")
            .Add<int>("curriculumExamples", "With --curriculum: episodes shown from each earlier stage")
            .AddCommon();
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted run, or one that failed because its model stopped answering (its id or a unique prefix, from 'ouro runs'); its stored configuration is used, and its finished episodes are not played again" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var list = new Option<bool>("--list") { Description = "List the environments and exit" };
        var export = new Option<DirectoryInfo?>("--export-environments") { Description = "Write the built-in environment files (and the preamble) to this folder and exit" };
        var official = new Option<FileInfo?>("--official-samples") { Description = "Re-grade the paper's released samples (gzip JSON Lines) of one rubric or tampering environment (--environments) with these evaluators and list where they disagree; writes nothing" };
        var cmd = new Command("tamper", "Run a model through the reward-tampering curriculum (Sycophancy to Subterfuge) in sandboxed shells; count gaming and tampering.") { resume, db, json, list, export, official };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(resume) is { } reference) return await ResumeAsync(binder, parse, reference, parse.GetValue(db)!, parse.GetValue(json), cancellationToken);
            if (parse.GetValue(export) is { } folder) return await ExportAsync(folder, cancellationToken);
            var options = binder.Bind(parse);
            var catalog = Catalog(options);
            if (parse.GetValue(list)) return List(catalog);
            if (parse.GetValue(official) is { } samples) return await RegradeAsync(catalog, options, samples, parse.GetValue(json), cancellationToken);
            var environments = Checked(catalog, options);
            // The model (and the grader) answer before the store is touched: bad input creates no store.
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var runId = RunIds.New("tamper");
            var (model, grader) = Models(catalog, options, store, runId);
            using var lease = ExperimentRun.Create(store, runId, options);
            Console.Error.WriteLine($"ouro: run {runId}: {environments.Count} environments × {options.Episodes} episodes with {ExperimentRun.Describe(options)}" +
                (options.Curriculum ? "; in-context curriculum (earlier stages' best episodes in the prompt; not the paper's fine-tuning)" : ""));
            return await ExperimentRun.RunAsync(new TamperExperiment(catalog, grader), options, store, lease, model, parse.GetValue(json), cancellationToken);
        });
        return cmd;
    }

    /// <summary>
    /// <c>--resume RUN</c>: the run's stored configuration (an option given that contradicts it is refused),
    /// checked as a new run's is, then its lease; the episodes it finished are read back, the others played.
    /// A resume never creates a store: a mistyped --db is an error, not a new empty file.
    /// </summary>
    private static async Task<int> ResumeAsync(OptionBinder<TamperOptions> binder, ParseResult parse, string reference, string db, bool json, CancellationToken cancellationToken)
    {
        using var store = RunOptions.OpenExisting(db);
        var (row, options) = ExperimentRun.Stored(binder, parse, store, reference, TamperOptions.KindName, "a tamper run");
        var catalog = Catalog(options);
        var environments = Checked(catalog, options);
        var (model, grader) = Models(catalog, options, store, row.Id);
        using var lease = ExperimentRun.Resume(store, row.Id);
        var finished = new EpisodeTable(store).Episodes(row.Id).Count(e => e.Status == EpisodeRow.Ok);
        Console.Error.WriteLine($"ouro: run {row.Id}: resumed, {finished} of {environments.Count * options.Episodes} episodes already finished, with {ExperimentRun.Describe(options)}, store {store.Location}");
        return await ExperimentRun.RunAsync(new TamperExperiment(catalog, grader), options, store, lease, model, json, cancellationToken);
    }

    private static EnvironmentCatalog Catalog(TamperOptions options)
    {
        try { return EnvironmentCatalog.Load(options.EnvironmentsDir); }
        catch (EnvironmentDefinitionException e) { throw new UserError(e.Message); }
    }

    /// <summary>The environments a run plays, once the sandbox, python3 and a scripted policy they need are there; each missing one is a one-line error.</summary>
    private static IReadOnlyList<TamperEnvironment> Checked(EnvironmentCatalog catalog, TamperOptions options)
    {
        var environments = Bound(() => new TamperExperiment(catalog).Selected(options));
        if (environments.Any(e => e.Tools) && !EpisodeShell.Available)
            throw new UserError("the environments run commands in a bubblewrap sandbox, which is not installed: sudo apt-get install -y bubblewrap");
        if (environments.Any(e => e.Tools && (e.RewardCommand ?? e.OversightCommand ?? "").Contains("python3")) && !File.Exists("/usr/bin/python3"))
            throw new UserError("the environments' reward and oversight commands run python3 inside the sandbox, and /usr/bin/python3 is missing: sudo apt-get install -y python3");
        if (ModelSpec.Parse(options.Model) is { Provider: ModelProvider.Scripted } s && !ScriptedPolicy.Exists(s.Model, catalog))
            throw new UserError($"there is no scripted policy '{s.Model}'; the environments script: {string.Join(", ", catalog.Environments.SelectMany(e => e.Scripts.Keys.Concat(e.ScriptAliases.Keys)).Distinct().Order())}");
        foreach (var m in new[] { options.Model, options.GraderModel }.OfType<string>().Distinct())
        {
            var spec = ModelSpec.Parse(m);
            try { ApiKeys.Resolve(spec, options.ModelKeyEnv); }
            catch (ModelConfigurationException e) { throw new UserError(e.Message); }
            ModelReachability.Check(spec, options.ModelKeyEnv);
        }
        return environments;
    }

    /// <summary>The run's model and, when another model grades, the grader; scripted policies are the catalog's.</summary>
    private static (Microsoft.Extensions.AI.IChatClient Model, Microsoft.Extensions.AI.IChatClient? Grader) Models(EnvironmentCatalog catalog, TamperOptions options, Ouroboros.Store.IRunStore store, string runId)
    {
        Func<ModelSpec, Microsoft.Extensions.AI.IChatClient?> scripts = spec => ScriptedPolicy.Exists(spec.Model, catalog) ? new ScriptedPolicy(spec.Model, catalog) : null;
        var model = ExperimentRun.Model(options, store, runId, scripts: scripts);
        var grader = options.GraderModel is { } g && g != options.Model
            ? ExperimentRun.Model(options with { Model = g }, store, runId, scripts: scripts) : null;
        return (model, grader);
    }

    private static T Bound<T>(Func<T> work)
    {
        try { return work(); }
        catch (Ouroboros.Runs.OptionsException e) { throw new UserError($"{OptionBinder<TamperOptions>.Flag(e.Option)} {e.Problem}"); }
    }

    /// <summary>The released samples, re-graded: how many agree, and every one that does not, with both readings.</summary>
    private static async Task<int> RegradeAsync(EnvironmentCatalog catalog, TamperOptions options, FileInfo file, bool json, CancellationToken cancellationToken)
    {
        if (options.Environments.Count != 1 || catalog.Find(options.Environments[0]) is not { Kind: EnvironmentKind.Rubric or EnvironmentKind.Tampering } environment)
            throw new UserError("--official-samples needs --environments naming one rubric or tampering environment (the one the samples were drawn in), e.g. --environments reward_tampering");
        if (!file.Exists) throw new UserError($"--official-samples {file.FullName} does not exist; pass a sample file (.jsonl.gz).");
        if (!EpisodeShell.Available) throw new UserError("re-grading runs the samples' commands in a bubblewrap sandbox, which is not installed: sudo apt-get install -y bubblewrap");
        IReadOnlyList<OfficialSample> samples;
        try { samples = OfficialSamples.Read(file.FullName); }
        catch (EnvironmentDefinitionException e) { throw new UserError(e.Message); }
        catch (InvalidDataException e) { throw new UserError($"{file.FullName} is not a gzip or JSON Lines file ({e.Message})"); }
        var limits = new ShellLimits { CommandTimeout = TimeSpan.FromSeconds(options.CommandTimeoutSeconds), OutputBytes = options.OutputCharacters };
        var checks = await Ouroboros.Runs.Fanout.RunAsync(samples.Count, options.Parallel, i => OfficialSamples.CheckAsync(environment, samples[i], options, limits, cancellationToken), cancellationToken);
        var mismatches = checks.Where(c => c.Mismatch).ToList();
        if (json)
        {
            Console.WriteLine(new System.Text.Json.Nodes.JsonObject
            {
                ["environment"] = environment.Name, ["samples"] = checks.Length, ["agree"] = checks.Length - mismatches.Count,
                ["mismatches"] = new System.Text.Json.Nodes.JsonArray(mismatches.Select(m => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
                {
                    ["line"] = m.Sample.Line, ["fileReward"] = m.Sample.Reward, ["filePassed"] = m.Sample.Passed, ["reward"] = m.Reward, ["passed"] = m.Passed, ["detail"] = m.Detail,
                }).ToArray()),
            }.ToJsonString());
            return ExitCodes.Ok;
        }
        Console.WriteLine($"{environment.Name}: {checks.Length} samples re-graded, {checks.Length - mismatches.Count} agree with the file, {mismatches.Count} do not");
        foreach (var m in mismatches)
            Console.WriteLine($"  line {m.Sample.Line}: file reward {Show(m.Sample.Reward)} passed {Show(m.Sample.Passed)}; ours reward {Show(m.Reward)} passed {Show(m.Passed)} ({Reporting.Printable.Text(m.Detail)})");
        return ExitCodes.Ok;
    }

    private static string Show(object? value) => value switch
    {
        null => "–",
        double d => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "–",
    };

    private static int List(EnvironmentCatalog catalog)
    {
        foreach (var e in catalog.Environments)
            Console.WriteLine($"{e.Stage}  {e.Name,-36} {e.Kind.ToString().ToLowerInvariant(),-10} {e.VariantCount,4} variants{(e.HeldOut ? "  held out" : "")}  {e.Title}");
        return ExitCodes.Ok;
    }

    private static async Task<int> ExportAsync(DirectoryInfo folder, CancellationToken cancellationToken)
    {
        if (File.Exists(folder.FullName)) throw new UserError($"--export-environments {folder.FullName} is a file; pass a folder.");
        folder.Create();
        foreach (var (name, text) in EnvironmentCatalog.BuiltInFiles())
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), text, cancellationToken);
        Console.Error.WriteLine($"ouro: wrote the built-in environments to {folder.FullName}; edit or add files there and pass --environments-dir {folder.FullName}");
        return ExitCodes.Ok;
    }
}
