using System.Text.Json.Nodes;

namespace Ouroboros.Reporting;

/// <summary>What listings show of a run's stored configuration.</summary>
public static class ConfigText
{
    /// <summary>The run's tasks, comma-separated: <c>tasks</c> (STOP's D, a transfer's table), or <c>task</c> (improve, audit, and runs stored before D).</summary>
    public static string Tasks(JsonObject config) => config["tasks"] is JsonArray tasks
        ? string.Join(", ", tasks.Select(t => t?.ToString()))
        : config["task"]?.ToString() ?? "";
}
