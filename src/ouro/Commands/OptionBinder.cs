using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Runs;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Binds an experiment's command-line options to its options record. Each flag is the kebab-case
/// of the option's name in the record and the stored configuration (<c>--meta-utility-runs</c> ↔
/// <c>metaUtilityRuns</c>); flags carry no defaults of their own: what the user does not pass comes
/// from <c>--config FILE.json</c> when given, else from the record, the one place defaults live.
/// Errors from the engine, which names options as the configuration does, are told with the flag.
/// </summary>
internal sealed class OptionBinder<TOptions> where TOptions : ExperimentOptions, new()
{
    private static readonly JsonObject Defaults = ConfigJson.Write(new TOptions());
    private readonly List<(Option Option, string Name, Func<ParseResult, JsonNode?> Read)> _options = [];
    private readonly Option<FileInfo?> _config = new("--config")
    {
        Description = "A JSON file of options (a run's stored configuration is one); flags given as well override it",
    };

    /// <summary>A single-valued option, e.g. <c>Add&lt;int&gt;("iterations", ...)</c> for <c>--iterations</c>.</summary>
    public OptionBinder<TOptions> Add<T>(string name, string description, params string[] aliases)
    {
        var option = new Option<T>(Flag(name), aliases) { Description = WithDefault(description, name) };
        _options.Add((option, name, parse => JsonValue.Create(parse.GetValue(option))));
        return this;
    }

    /// <summary>A list option, given comma-separated: <c>--tasks 3sat,maxcut</c>.</summary>
    public OptionBinder<TOptions> AddList(string name, string description, params string[] aliases)
    {
        var option = new Option<string>(Flag(name), aliases) { Description = WithDefault(description, name) + " (comma-separated)" };
        _options.Add((option, name, parse => new JsonArray((parse.GetValue(option) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode?)s).ToArray())));
        return this;
    }

    /// <summary>The options every experiment shares: the model, the seed, parallelism, extra tasks.</summary>
    public OptionBinder<TOptions> AddCommon() => this
        .Add<string>("model", $"The model: {Ouroboros.Models.ModelSpec.AcceptedForms}")
        .Add<string>("modelKeyEnv", "Environment variable holding the API key, if not OPENAI_API_KEY / ANTHROPIC_API_KEY")
        .Add<int>("maxConcurrentRequests", "Most model requests in flight at once")
        .Add<int>("maxConsecutiveModelFaults", "Model calls that may fail in a row (after retries) before the run stops as failed, resumable once the model is back")
        .Add<double>("maxCostUsd", "Most US dollars the run may spend on its model, enforced by the host; needs the model's price (built in for common OpenAI and Anthropic models, or under \"prices\" in --config)")
        .Add<long>("maxTokensPerLevel", "Model tokens (prompt and completion) each recursion level may spend; prompts are counted before they are sent")
        .Add<ulong>("seed", "Seed of everything stochastic the host controls")
        .Add<int>("parallel", "Most independent improver runs one step runs side by side; scores do not depend on it")
        .Add<string>("tasksDir", "A folder of extra tasks (task.json folders) besides the built-in ones");

    /// <summary>
    /// Drops option <paramref name="name"/> from the command line (it stays settable in <c>--config</c>):
    /// for a command whose own flag of that name means something else (<c>ouro sweep --parallel</c>).
    /// </summary>
    public OptionBinder<TOptions> Without(string name)
    {
        _options.RemoveAll(o => o.Name == name);
        return this;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_config);
        foreach (var (option, _, _) in _options) command.Options.Add(option);
    }

    /// <summary>The options the user asked for: the <c>--config</c> file (or nothing), then every flag they passed; validated.</summary>
    public TOptions Bind(ParseResult parse)
    {
        var passed = new HashSet<string>();
        return Validated(Given(parse, passed), passed);
    }

    /// <summary>Options from a stored configuration (a resumed run's), validated.</summary>
    public TOptions FromStored(JsonObject config) => Validated(config, new HashSet<string>());

    /// <summary>
    /// Refuses, in one line, an option given (as a flag or in <c>--config</c>) whose value differs from
    /// <paramref name="run"/>'s stored configuration: a resumed run keeps the configuration it started
    /// with, and silently ignoring the option would let the user believe otherwise. The same value is fine.
    /// </summary>
    public void RefuseContradictions(ParseResult parse, JsonObject stored, string run)
    {
        var passed = new HashSet<string>();
        var given = Given(parse, passed);
        var kept = ConfigJson.Write(FromStored(stored));
        foreach (var (name, value) in given)
        {
            var named = passed.Contains(name) ? Flag(name) : name;
            JsonNode? asGiven;
            try
            {
                // Read through the options record, so 5 and 5.0, or "3sat" and ["3sat"], compare as the run would see them.
                var merged = (JsonObject)stored.DeepClone();
                merged[name] = value?.DeepClone();
                asGiven = ConfigJson.Write(ConfigJson.Read<TOptions>(merged))[name];
            }
            catch (OptionsException e) { throw new UserError($"{named} {e.Problem}"); }
            if (kept[name]?.ToJsonString() != asGiven?.ToJsonString())
                throw new UserError($"{named} {Show(asGiven)} contradicts {run}'s stored configuration ({name} {Show(kept[name])}); " +
                    "a resumed run keeps its configuration: drop the option, or start a new run with it");
        }
    }

    /// <summary>What the user gave: the <c>--config</c> file (or nothing), then every flag they passed (named in <paramref name="passed"/>); not validated.</summary>
    public JsonObject Given(ParseResult parse, HashSet<string> passed)
    {
        JsonObject config;
        try { config = parse.GetValue(_config) is { } file ? ConfigJson.Load(file.FullName) : []; }
        catch (OptionsException e) { throw new UserError($"--config: {e.Problem}"); }
        foreach (var (option, name, read) in _options)
            if (parse.GetResult(option) is { Implicit: false })
            {
                config[name] = read(parse);
                passed.Add(name);
            }
        return config;
    }

    /// <summary>A configuration value as a person types it: <c>5</c>, <c>offline</c>, <c>3sat,maxcut</c>.</summary>
    private static string Show(JsonNode? value) => value switch
    {
        null => "(none)",
        JsonArray list => string.Join(",", list.Select(Show)),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => value.ToJsonString(),
    };

    /// <summary>Options from <paramref name="config"/>, validated; an error names a flag in <paramref name="passed"/> as typed.</summary>
    public static TOptions Validated(JsonObject config, IReadOnlySet<string> passed)
    {
        try
        {
            var options = ConfigJson.Read<TOptions>(config);
            options.Validate();
            return options;
        }
        catch (OptionsException e)
        {
            // A flag the user typed is named as typed; anything else as the configuration names it.
            var flagged = passed.Contains(e.Option) ? Flag(e.Option) : e.Option;
            throw new UserError($"{flagged} {e.Problem}");
        }
    }

    private static string WithDefault(string description, string name) => Defaults[name] switch
    {
        JsonArray { Count: 0 } => $"{description} [default: none]",
        JsonArray list => $"{description} [default: {string.Join(",", list.Select(v => v?.ToString()))}]",
        JsonValue value => $"{description} [default: {value.ToJsonString().Trim('"')}]",
        _ => description,
    };

    /// <summary><c>metaUtilityRuns</c> → <c>--meta-utility-runs</c>.</summary>
    public static string Flag(string name) =>
        "--" + string.Concat(name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
}
