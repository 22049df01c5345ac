using Ouroboros.Training;

namespace Ouroboros.Training.Tests;

public class ElfVersionNeedsTests
{
    private static byte[] ShippedLibrary() =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));

    [Fact]
    public void Weakening_marks_only_the_named_version_and_is_idempotent()
    {
        var elf = ShippedLibrary();
        var before = ElfVersionNeeds.Read(elf);
        Assert.False(before[TorchRuntime.MissingVersion]);
        var versions = new HashSet<string> { TorchRuntime.MissingVersion };

        Assert.Equal(1, ElfVersionNeeds.Weaken(elf, versions));
        var after = ElfVersionNeeds.Read(elf);
        Assert.True(after[TorchRuntime.MissingVersion]);
        foreach (var (name, weak) in before.Where(n => n.Key != TorchRuntime.MissingVersion)) Assert.Equal(weak, after[name]);

        var once = (byte[])elf.Clone();
        Assert.Equal(0, ElfVersionNeeds.Weaken(elf, versions));
        Assert.Equal(once, elf);
        // Exactly the flag's two bytes differ from the shipped file.
        Assert.InRange(ShippedLibrary().Zip(elf).Count(p => p.First != p.Second), 1, 2);
    }

    [Fact]
    public void A_file_that_is_not_ELF64_is_refused() =>
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Weaken("#!/bin/sh\necho not a library\n"u8.ToArray().Concat(new byte[64]).ToArray(), new HashSet<string> { "X" }));

    [Fact]
    public void The_patched_copy_is_made_only_where_the_system_library_lacks_the_version()
    {
        TorchRuntime.Initialize();
        var lacks = !TorchRuntime.SystemLibstdcxxHas(TorchRuntime.MissingVersion);
        if (lacks) Assert.EndsWith("libLibTorchSharp.so", TorchRuntime.NativeLibrary);
        else Assert.Equal("as shipped", TorchRuntime.NativeLibrary);
    }
}
