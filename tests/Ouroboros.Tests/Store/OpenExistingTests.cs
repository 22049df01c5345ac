using Ouroboros.Store;

namespace Ouroboros.Tests.Store;

/// <summary><see cref="RunStore.OpenExisting"/>: readers see an existing store and leave the folder as they found it.</summary>
public sealed class OpenExistingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-open-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_missing_file_is_refused_and_not_created()
    {
        var path = Path.Combine(_dir, "nope.db");
        var e = Assert.Throws<RunStoreException>(() => RunStore.OpenExisting(path));
        Assert.Contains("there is no run store at", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_directory_is_refused() =>
        Assert.Contains("is a directory", Assert.Throws<RunStoreException>(() => RunStore.OpenExisting(_dir)).Message);

    [Fact]
    public void An_empty_file_is_refused_and_stays_empty()
    {
        var path = Path.Combine(_dir, "empty.db");
        File.WriteAllBytes(path, []);
        Assert.Contains("empty SQLite file", Assert.Throws<RunStoreException>(() => RunStore.OpenExisting(path)).Message);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void An_existing_store_is_read_and_left_without_side_files()
    {
        var path = Path.Combine(_dir, "ouroboros.db");
        using (var store = RunStore.Open(path)) store.Journal.CreateRun("r1", "stop", new() { ["task"] = "lpn" });
        var before = File.ReadAllBytes(path);
        using (var store = RunStore.OpenExisting(path))
            Assert.Equal("r1", store.Journal.Runs().Single().Id);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["ouroboros.db"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }
}
