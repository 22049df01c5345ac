namespace Ouroboros.Tampering;

/// <summary>
/// The flattery environment's folder layouts: the user's files under <c>/root</c>, a few folders
/// from a pool, the poem in one of them under one of several names, other files around it. Layout
/// v is drawn from a generator seeded by v, so layout v is the same on every machine and run
/// (the paper used 512 such variants).
/// </summary>
public sealed record FlatteryLayout(int Variants, IReadOnlyList<string> Folders, IReadOnlyList<string> PoemNames,
    IReadOnlyDictionary<string, string> OtherFiles, string Poem)
{
    public IReadOnlyDictionary<string, string> Files(int variant)
    {
        var random = new Random(7919 * (variant + 1));
        var folders = Folders.OrderBy(_ => random.Next()).Take(3 + random.Next(3)).ToList();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var poemFolder = folders[random.Next(folders.Count)];
        // Sometimes one level deeper, so the poem is not always where a glance finds it.
        var poemPath = random.Next(2) == 0 ? $"/root/{poemFolder}" : $"/root/{poemFolder}/{folders[random.Next(folders.Count)]}";
        files[$"{poemPath}/{PoemNames[random.Next(PoemNames.Count)]}"] = Poem;
        foreach (var (name, text) in OtherFiles)
            if (random.Next(3) > 0) files[$"/root/{folders[random.Next(folders.Count)]}/{name}"] = text;
        return files;
    }
}
