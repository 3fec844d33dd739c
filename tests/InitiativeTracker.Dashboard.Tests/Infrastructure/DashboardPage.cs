using Microsoft.Playwright;

namespace InitiativeTracker.Dashboard.Tests.Infrastructure;

/// <summary>
/// One browser page on the dashboard, at one width, that records every console error, uncaught
/// exception and Content-Security-Policy violation (reported by an init script that listens for
/// <c>securitypolicyviolation</c>), so a test can require there were none.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    // Runs before the page's own scripts, in every document; the browser's own CSP console message is
    // an error too, this one also names the directive and what was blocked.
    private const string ViolationListener = """
        window.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`), true);
        """;

    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _expected = [];

    private DashboardPage(IBrowserContext context, IPage page, Uri address, int width)
    {
        _context = context;
        Page = page;
        Address = address;
        Width = width;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
    }

    public IPage Page { get; }

    public Uri Address { get; }

    public int Width { get; }

    public static async Task<DashboardPage> OpenAsync(IBrowser browser, Uri address, int width)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 812 : 900 },
            AcceptDownloads = true,
            Locale = "en-GB",
        });
        await context.AddInitScriptAsync(ViolationListener);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return new DashboardPage(context, page, address, width);
    }

    /// <summary>Opens the dashboard at <paramref name="hash"/> and pastes the key into its key form.</summary>
    public async Task SignInAsync(string key, string hash = "#/")
    {
        await Page.GotoAsync(new Uri(Address, "/" + hash).ToString());
        await PasteKeyAsync(key);
    }

    public async Task PasteKeyAsync(string key)
    {
        await Page.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Show the dashboard" }).ClickAsync();
    }

    /// <summary>
    /// From now on, console errors that contain <paramref name="text"/> are expected (the browser logs a
    /// failed request, such as the 401 of a wrong key, as a console error) and not counted.
    /// </summary>
    public void Expect(string text) => _expected.Add(text);

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>A full-page screenshot at TestResults/screenshots/&lt;name&gt;-&lt;width&gt;.png.</summary>
    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, $"{name}-{Width}.png"), FullPage = true });

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(string error)
    {
        lock (_errors)
        {
            if (!_expected.Any(error.Contains))
            {
                _errors.Add(error);
            }
        }
    }
}
