using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// The JSON API under <c>/api/</c> that the pages use and users can script against (docs/dashboard.md).
/// Every answer is read from the store at request time, so a running run's progress is current; an
/// unknown run or program is a 404 with <c>{"error": ...}</c>. Nothing here writes to the store.
/// </summary>
internal static class DashboardApi
{
    public static void Map(WebApplication app, IRunStore store)
    {
        app.MapGet("/api/runs", () => Json(RunListing.All(store)));
        app.MapGet("/api/runs/{id}", (string id) => Found(RunDetail.Of(store, id), $"no run '{id}' in this store"));
        app.MapGet("/api/runs/{id}/programs/{hash}", (string id, string hash) =>
            Found(store.Journal.GetRun(id) is null ? null : ProgramDetail.Of(store, id, hash), $"no program '{hash}' in run '{id}'"));
        app.MapGet("/api/runs/{id}/evaluations", (string id, string? program) =>
            Found(store.Journal.GetRun(id) is null ? null : EvaluationsJson.Of(store, id, program), $"no run '{id}' in this store"));
        app.MapGet("/api/runs/{id}/events", (string id) =>
            Found(store.Journal.GetRun(id) is null ? null : EventsJson.Of(store, id), $"no run '{id}' in this store"));
        app.MapGet("/api/runs/{id}/ledger", (string id) =>
            Found(store.Journal.GetRun(id) is null ? null : LedgerJson.Of(store, id), $"no run '{id}' in this store"));
        app.MapGet("/api/runs/{id}/config", (string id, string? download, HttpResponse response) =>
        {
            if (store.Journal.GetRun(id) is not { } run) return NotFound($"no run '{id}' in this store");
            // ?download=1 makes the browser save it as the file `ouro <kind> --config FILE` reads.
            if (download is "1" or "true") response.Headers.ContentDisposition = $"attachment; filename=\"{ReproducingConfig.FileName(run)}\"";
            return Json(ReproducingConfig.Of(run));
        });
        app.MapGet("/api/{**rest}", (string rest) => NotFound($"no API '/api/{rest}'; see docs/dashboard.md"));
    }

    private static IResult Found(JsonNode? body, string missing) => body is null ? NotFound(missing) : Json(body);

    private static IResult NotFound(string message) =>
        Results.Content(new JsonObject { ["error"] = message }.ToJsonString(), "application/json; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    private static IResult Json(JsonNode body) => Results.Content(body.ToJsonString(), "application/json; charset=utf-8");
}
