using System.CommandLine;
using Microsoft.Extensions.AI;
using Ouroboros.Runs;
using Ouroboros.SelfRewarding;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro self-reward</c>: the Self-Rewarding loop (docs/self-rewarding.md) against a user's chat model —
/// it answers the prompts of <c>--prompts</c>, judges its own answers with the paper's prompt, and the
/// user's <c>--trainer-command</c> trains and serves each next model from the pairs. <c>--resume RUN</c>
/// goes on from the last finished iteration of an interrupted or failed run.
/// </summary>
public static class SelfRewardCommand
{
    public static Command Create()
    {
        var binder = new OptionBinder<SelfRewardOptions>()
            .Add<string>("prompts", "A file of prompts, one a line: plain text or {\"prompt\": ...}")
            .Add<string>("trainerCommand", "The command that trains M_t+1 from the pairs and serves it (run with /bin/sh -c; see docs/self-rewarding.md for its environment and output)")
            .Add<string>("exportPairs", "A folder to write each iteration's pairs into, as {arm}/s{seed}/pairs-t{t}.jsonl")
            .Add<int>("iterations", "T: training iterations (2: M1 → M2 → M3)")
            .Add<int>("promptsPerIteration", "New prompts per iteration")
            .Add<int>("candidates", "N: answers sampled per prompt")
            .Add<double>("temperature", "Sampling temperature of the answers")
            .Add<double>("topP", "Nucleus (top-p) of the answers")
            .Add<int>("judgeSamples", "Judgements per answer, averaged")
            .Add<double>("judgeTemperature", "Sampling temperature of the judgements")
            .Add<double>("judgeTopP", "Nucleus (top-p) of the judgements")
            .Add<int>("maxTokens", "Most tokens of an answer")
            .Add<int>("judgeMaxTokens", "Most tokens of a judgement")
            .AddList("arms", $"The arms: {string.Join(", ", SelfRewardOptions.KnownArms)}")
            .AddList("seeds", "A count of seeds (5), or the seeds themselves (3,7,11)")
            .AddCommon()
            .Without("tasksDir");
        var demo = new Option<bool>("--demo")
        {
            Description = "The toy demonstration on this machine: a small transformer trained here answers and judges digit-sorting prompts, a hidden rubric scores it; " +
                "all five arms over 5 seeds unless --arms/--seeds say otherwise (docs/self-rewarding.md)",
        };
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted or failed run (its id or a unique prefix); its stored configuration is used and finished iterations are not run again" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("self-reward", "Run the Self-Rewarding loop: a model answers, judges its own answers, and is trained on the pairs by your trainer (--demo: a small model trained here, a toy demonstration).") { demo, resume, db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var fresh = parse.GetValue(resume) is null ? Bound(() => Bind(binder, parse, parse.GetValue(demo))) : null;
            IReadOnlyList<string>? prompts = fresh is null ? null : Bound(() => Checked(fresh));
            using var store = fresh is null ? RunOptions.OpenExisting(parse.GetValue(db)!) : RunOptions.OpenForWriting(parse.GetValue(db)!);
            SelfRewardOptions options;
            string runId;
            if (parse.GetValue(resume) is { } reference)
            {
                (runId, options) = ExperimentRun.Resumed(store, reference, binder, parse, "a self-reward run");
                prompts = Bound(() => Checked(options));
            }
            else
            {
                options = fresh!;
                runId = RunIds.New("self-reward");
            }
            var model = ExperimentRun.Model(options, store, runId);   // every check before the run is stored
            var setup = Setup(options, prompts!, spec => ExperimentRun.Model(options with { Model = spec }, store, runId), store, runId);
            var experiment = new SelfRewardExperiment(setup);
            Bound(() => { experiment.Check(options); return 0; });
            using var lease = parse.GetValue(resume) is null ? ExperimentRun.Create(store, runId, options) : ExperimentRun.Resume(store, runId);
            Console.Error.WriteLine($"ouro: run {runId}: Self-Rewarding with {setup.Description}, T = {options.Iterations}, arms {string.Join(", ", options.Arms)}, " +
                $"{options.SeedValues.Count} seed(s), store {store.Location}");
            try { return await ExperimentRun.RunAsync(experiment, options, store, lease, model, parse.GetValue(json), cancellationToken); }
            catch (TrainerFailedException e)
            {
                Console.Error.WriteLine($"ouro: run {runId} failed at {Reporting.Printable.Text(e.Message)}; fix the trainer and continue it with: ouro self-reward --resume {runId}");
                return ExitCodes.TrainerFailed;
            }
        });
        return cmd;
    }

    /// <summary>
    /// What the loop runs against, the one place a setup is chosen: the demonstration's small local model
    /// (trained here, <c>Ouroboros.Training</c>), or a user's chat model with their prompts and trainer.
    /// </summary>
    internal static ISelfRewardingSetup Setup(SelfRewardOptions options, IReadOnlyList<string> prompts, Func<string, IChatClient> clientFor, IRunStore store, string runId) =>
        options.Demo is { } settings
            ? new Ouroboros.Training.SelfRewarding.SmallModelSetup(store, runId, settings)
            : new ChatSetup(options.Model, prompts, options.TrainerCommand!, clientFor);

    /// <summary>
    /// The options asked for. With <c>--demo</c> the demonstration's settings are added (unless the
    /// configuration has its own) and, for options the user did not give, the demonstration's defaults:
    /// all five arms, 5 seeds, 600 prompts an iteration, answers of at most the longest prompt's digits
    /// and two more, judgements of one score token and the end.
    /// </summary>
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static SelfRewardOptions Bind(OptionBinder<SelfRewardOptions> binder, System.CommandLine.ParseResult parse, bool demo)
    {
        var passed = new HashSet<string>();
        var given = binder.Given(parse, passed);
        if (demo || given.ContainsKey("demo"))
        {
            var settings = given["demo"] is System.Text.Json.Nodes.JsonObject stated
                ? System.Text.Json.JsonSerializer.Deserialize<DemoSettings>(stated.ToJsonString(), Web) ?? new DemoSettings()
                : new DemoSettings();
            given["demo"] ??= System.Text.Json.JsonSerializer.SerializeToNode(settings, Web);
            var defaults = new Dictionary<string, System.Text.Json.Nodes.JsonNode>
            {
                ["arms"] = new System.Text.Json.Nodes.JsonArray(SelfRewardOptions.KnownArms.Select(a => (System.Text.Json.Nodes.JsonNode)a).ToArray()),
                ["seeds"] = new System.Text.Json.Nodes.JsonArray("5"),
                ["promptsPerIteration"] = 600,
                ["maxTokens"] = settings.MaxDigits + 2,
                ["judgeMaxTokens"] = 2,
            };
            foreach (var (name, value) in defaults) given[name] ??= value;
        }
        return OptionBinder<SelfRewardOptions>.Validated(given, passed);
    }

    /// <summary>The chat setup's own needs: a prompt file with prompts, and a trainer unless only the sft arm runs.</summary>
    private static IReadOnlyList<string> Checked(SelfRewardOptions options)
    {
        if (options.Demo is not null)
        {
            if (options.Prompts is not null || options.TrainerCommand is not null)
                throw new OptionsException(options.Prompts is not null ? "prompts" : "trainerCommand", "is for a user's model; the demonstration makes its own prompts and trains its model itself (drop --demo or this option)");
            return [];
        }
        if (options.TrainerCommand is null && options.Arms.Any(a => a != SelfRewardOptions.Sft))
            throw new OptionsException("trainerCommand", "is required: the command that trains M_t+1 from the pairs (see docs/self-rewarding.md)");
        return PromptFile.Read(options.Prompts);
    }

    private static T Bound<T>(Func<T> work)
    {
        try { return work(); }
        catch (OptionsException e) { throw new UserError($"{OptionBinder<SelfRewardOptions>.Flag(e.Option)} {e.Problem}"); }
    }
}
