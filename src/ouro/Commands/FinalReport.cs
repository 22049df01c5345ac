using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>How a finished run ends on the terminal: the same report <c>ouro report</c> prints, as tables or as JSON.</summary>
internal static class FinalReport
{
    public static JsonObject Json(RunRecords records, string runId) =>
        ReportJson.ToJson(RunReportBuilder.Build(records.Store, runId) ?? throw new UserError($"no run '{runId}'"));

    public static Action<JsonObject> Print(RunStore store, string runId) => _ =>
    {
        if (RunReportBuilder.Build(store, runId) is { } report) ReportTables.Write(report);
    };
}
