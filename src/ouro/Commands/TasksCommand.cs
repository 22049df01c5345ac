using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro tasks [--json] [--tasks-dir DIR]</c>: the downstream tasks one can evaluate or improve on.</summary>
public static class TasksCommand
{
    /// <summary>Shared with <c>ouro eval</c>: where user-defined tasks live.</summary>
    internal static Option<DirectoryInfo?> TasksDirOption() => new("--tasks-dir")
    {
        Description = "A user-defined task folder (holding task.json), or a folder of them; see docs/tasks.md",
    };

    /// <summary>The built-in tasks plus those under --tasks-dir; a malformed folder is the user's error, named by file and line.</summary>
    internal static TaskCatalog LoadCatalog(DirectoryInfo? tasksDir)
    {
        try { return TaskCatalog.Load(tasksDir?.FullName); }
        catch (TaskDefinitionException e) { throw new UserError(e.Message); }
    }

    /// <summary>
    /// JSON that leaves C# in descriptions readable (no \u003C for '&lt;'; the output is never HTML), on
    /// one line: scripts read a command's result from the last line of stdout.
    /// </summary>
    internal static JsonSerializerOptions JsonOutput { get; } = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "An array of objects with id, signature, description, splits, limit and budget" };
        var tasksDir = TasksDirOption();
        var cmd = new Command("tasks", "List the downstream tasks: STOP's six and any user-defined ones.") { json, tasksDir };
        cmd.SetAction((parse, _) =>
        {
            var catalog = LoadCatalog(parse.GetValue(tasksDir));
            if (parse.GetValue(json))
            {
                var array = new JsonArray(catalog.Tasks.Select(t => (JsonNode)ToJson(t)).ToArray());
                Console.WriteLine(array.ToJsonString(JsonOutput));
            }
            else
            {
                foreach (var t in catalog.Tasks)
                    Console.WriteLine($"{t.Id,-22} {t.Signature}\n{"",-22} val {t.Utility.Validation.Count}, test {t.Utility.Test.Count}, " +
                                      $"{t.Utility.InstanceLimit.TotalMilliseconds:0} ms per instance, budget {t.Utility.Budget}");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static JsonObject ToJson(DownstreamTask t) => new()
    {
        ["id"] = t.Id,
        ["signature"] = t.Signature,
        ["description"] = t.Description,
        ["validationInstances"] = t.Utility.Validation.Count,
        ["testInstances"] = t.Utility.Test.Count,
        ["timeLimitMs"] = t.Utility.InstanceLimit.TotalMilliseconds,
        ["budget"] = t.Utility.Budget,
    };
}
