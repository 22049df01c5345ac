using Microsoft.Playwright;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// Headless Chromium, Debian's <c>/usr/bin/chromium</c> driven by Playwright: never a downloaded
/// browser. Without it the browser tests are skipped, unless <c>OUROBOROS_REQUIRE_CHROMIUM=1</c>
/// (CI sets it) makes its absence a failure.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Flags for running as root on a machine with no network: no sandbox, GPU, QUIC or background traffic.</summary>
    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where screenshots of each page go: under the test output, to be looked at.</summary>
    public static string Screenshots { get; } = System.IO.Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable)) return;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = Flags });
    }

    /// <summary>A fresh page 1400 px wide; skips the test when there is no Chromium and it is not required.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (_browser is null)
        {
            if (Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_CHROMIUM") == "1")
                Assert.Fail($"OUROBOROS_REQUIRE_CHROMIUM=1 but there is no {Executable}: apt-get install -y chromium");
            Skip.If(true, $"no {Executable}; apt-get install -y chromium (OUROBOROS_REQUIRE_CHROMIUM=1 makes this a failure)");
        }
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        return await context.NewPageAsync();
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
