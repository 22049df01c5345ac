using System.Text.Json.Nodes;
using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

public sealed class AiftExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-aift-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_the_shape_DPO_trainers_take_and_reads_it_back()
    {
        PreferencePair[] pairs =
        [
            new("Write a haiku about “rain”.", "Soft rain on the roof\n…", "rain", 4.5, 1, 1),
            new("2+2?", "4", "5", 3.6666666666666665, 0, 1),
        ];
        var path = Path.Combine(_dir, "self", "s0", "pairs-t1.jsonl");
        AiftExport.Write(path, pairs);

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal(["prompt", "chosen", "rejected", "score_chosen", "score_rejected", "iteration"], first.Select(kv => kv.Key));
        Assert.Equal("Write a haiku about “rain”.", (string)first["prompt"]!);
        Assert.Equal(pairs, AiftExport.Read(path));
    }

    [Fact]
    public void A_line_that_is_not_a_pair_is_named()
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(path, "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 1, \"score_rejected\": 0, \"iteration\": 1}\n{\"prompt\": \"p\"}\n");
        var e = Assert.Throws<InvalidDataException>(() => AiftExport.Read(path));
        Assert.Contains("line 2", e.Message);
    }
}
