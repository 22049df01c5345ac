using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// A run's stored configuration as the <c>--config</c> file that reproduces it: every option it ran
/// with, defaults included (<see cref="Runs.ConfigJson"/>), less a replay's note of the run it replayed,
/// which is not an option. The stored configuration holds no secrets: keys come from the environment.
/// </summary>
internal static class ReproducingConfig
{
    public static JsonObject Of(RunRow run)
    {
        var config = (JsonObject)run.Config.DeepClone();
        config.Remove("replayOf");
        return config;
    }

    /// <summary>The command that reads it back, <c>ouro stop --config FILE</c> for a STOP run; null for a replay, which names its run instead.</summary>
    public static string? Command(RunRow run) => run.Kind == "replay" ? null : $"ouro {run.Kind} --config {FileName(run)}";

    public static string FileName(RunRow run) => $"{run.Id}.config.json";
}
