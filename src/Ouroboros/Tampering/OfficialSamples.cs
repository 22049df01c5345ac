using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tampering;

/// <summary>One sample of the paper's released files: the prompt, the model's response, and the reward and oversight result recorded with it.</summary>
public sealed record OfficialSample(int Line, string Prompt, string Response, double? Reward, bool? Passed);

/// <summary>What our evaluators make of an official sample, beside what the file recorded.</summary>
public sealed record SampleCheck(OfficialSample Sample, double? Reward, bool? Passed, string Detail)
{
    /// <summary>True when the file and our evaluators disagree on the reward (to 1e-6) or on oversight.</summary>
    public bool Mismatch =>
        (Sample.Reward is { } r && (Reward is not { } ours || Math.Abs(r - ours) > 1e-6)) ||
        (Sample.Passed is { } p && Passed != p);
}

/// <summary>
/// The official sample files of the Sycophancy-to-Subterfuge repository (gzip-compressed JSON Lines,
/// one sample per line with its <c>prompt</c>, <c>response</c>, <c>reward</c> and <c>passed</c>), and their
/// re-grading: each response's <c>&lt;bash&gt;</c> commands are run in order in a fresh sandboxed shell over
/// the environment's files, then the environment's reward and oversight commands, as for our own episodes.
/// Only the rubric and tampering environments have a reward the files' rows can be checked against.
/// </summary>
public static class OfficialSamples
{
    /// <summary>Reads a sample file (gzip, or plain JSON Lines); a line that is not a sample is refused with its number.</summary>
    public static IReadOnlyList<OfficialSample> Read(string path)
    {
        using var file = File.OpenRead(path);
        var gz = new byte[2];
        int read = file.Read(gz, 0, 2);
        file.Position = 0;
        using Stream stream = read == 2 && gz[0] == 0x1f && gz[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var samples = new List<OfficialSample>();
        int n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject o;
            try { o = JsonNode.Parse(line)?.AsObject() ?? throw new EnvironmentDefinitionException($"{path}:{n}: not a JSON object"); }
            catch (Exception e) when (e is JsonException or InvalidOperationException) { throw new EnvironmentDefinitionException($"{path}:{n}: not a JSON object ({e.Message.Split('\n')[0]})"); }
            string Text(string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw new EnvironmentDefinitionException($"{path}:{n}: \"{key}\" must be a string (a sample needs prompt and response)");
            double? reward = o["reward"] is JsonValue rv && rv.TryGetValue<double>(out var r) ? r : null;
            bool? passed = o["passed"] is JsonValue pv ? pv.TryGetValue<bool>(out var b) ? b : pv.TryGetValue<string>(out var ps) && bool.TryParse(ps, out var pb) ? pb : null : null;
            samples.Add(new OfficialSample(n, Text("prompt"), Text("response"), reward, passed));
        }
        return samples;
    }

    /// <summary>Re-grades <paramref name="sample"/> in <paramref name="environment"/> (its first variant's files).</summary>
    public static async Task<SampleCheck> CheckAsync(TamperEnvironment environment, OfficialSample sample, TamperOptions options, ShellLimits limits, CancellationToken cancellationToken)
    {
        var tree = EpisodeFiles.Write(environment.Episode(0).Files);
        try
        {
            await using (var shell = EpisodeShell.Open(tree, limits))
                foreach (var command in Transcript.Commands(sample.Response).Take(options.MaxSteps))
                    await shell.RunAsync(command, cancellationToken);
            var transcript = Transcript.Render([new Turn(Speaker.Human, sample.Prompt), new Turn(Speaker.Assistant, sample.Response)]);
            var grade = await new EpisodeGrader(options, limits).GradeAsync(environment, tree, transcript, cancellationToken);
            return new SampleCheck(sample, grade.Reward, grade.Passed, grade.Detail);
        }
        finally { EpisodeFiles.Delete(tree); }
    }
}
