using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// The secret half of a task: a seeded instance generator and the scorer for its answers. Trusted
/// host code; built-in tasks implement it in C#, user-defined tasks supply a class implementing it
/// that the host compiles and runs in-process. It never runs the candidate: the evaluator does, in
/// the sandbox, and hands the returned value to <see cref="ProblemInstance.Grade"/>.
/// </summary>
public interface IProblem
{
    /// <summary>
    /// The instance for <paramref name="seed"/>. Must be deterministic: the same seed gives the same
    /// instance on every run and machine (use <c>new Random(seed)</c>, never an unseeded source).
    /// </summary>
    ProblemInstance Generate(int seed);
}

/// <summary>
/// One instance: the JSON arguments the solution's <c>Algorithm</c> receives and the scorer of its
/// answer. The scorer closes over the instance's secrets (a hidden subset, the test labels), which
/// therefore never leave the host.
/// </summary>
/// <param name="Arguments">One JSON value per parameter of <c>Algorithm</c>, in order.</param>
/// <param name="Grade">Scores the JSON the solution returned; never sees a null (the evaluator handles that).</param>
public sealed record ProblemInstance(JsonArray Arguments, Func<JsonNode, Grade> Grade);
