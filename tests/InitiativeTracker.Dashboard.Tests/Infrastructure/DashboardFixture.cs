using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace InitiativeTracker.Dashboard.Tests.Infrastructure;

/// <summary>
/// The real service (a separate process on its own database file, filled with the demo data), one
/// initiative with a Chinese owner, title, check-in and deadline move added through the API, a viewer
/// key created with the admin key, and the system's headless Chromium.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "it-dashboard-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public ServiceProcess Service { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ViewerKey { get; private set; } = null!;

    /// <summary>The initiative added with Chinese text, overdue, with a check-in and a deadline move.</summary>
    public ChineseInitiative Chinese { get; private set; } = null!;

    /// <summary>A client that reads with the viewer key, as the page does.</summary>
    public HttpClient Viewer { get; private set; } = null!;

    /// <summary>Screenshots for a reviewer: TestResults/screenshots next to the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var install = SystemChromium.EnsureInstalledAsync();
        Directory.CreateDirectory(_directory);
        Service = await ServiceProcess.StartAsync(Path.Combine(_directory, "tracker.db"), "--Tracker:DemoData", "true");
        ViewerKey = await CreateViewerKeyAsync();
        Viewer = Service.CreateClient(ViewerKey);
        Chinese = await AddChineseInitiativeAsync();
        await install;
        // Generous waits (not timed assertions): CI runs this beside the API suite on two cores.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium.ExecutablePath,
            Args = SystemChromium.Arguments,
            Headless = true,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Viewer?.Dispose();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting process: the temporary directory is left behind.
        }
    }

    /// <summary>A new browser page (its own context: its own sessionStorage) at this width.</summary>
    public async Task<DashboardPage> OpenAsync(int width) => await DashboardPage.OpenAsync(Browser, Service.Address, width);

    /// <summary>GET with the viewer key, as JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await Viewer.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> CreateViewerKeyAsync()
    {
        using var response = await Service.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "dashboard viewer", role = "viewer" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private async Task<ChineseInitiative> AddChineseInitiativeAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var owner = await PostAsync("/api/v1/owners", new { name = "王小明", email = "wang.xiaoming@xjtu.example.edu.cn", unit = "西安交通大学 国际合作与交流处" });
        var initiative = await PostAsync("/api/v1/initiatives", new
        {
            directionId = 2,
            ownerId = owner.GetProperty("id").GetInt64(),
            taskForceId = 3,
            title = "丝绸之路创新中心联合培养计划",
            description = "与中亚伙伴高校共建联合培养项目。",
            startDate = Iso(today.AddDays(-120)),
            deadline = Iso(today.AddDays(-30)),
        });
        var id = initiative.GetProperty("id").GetInt64();
        await PostAsync($"/api/v1/initiatives/{id}/check-ins", new { progress = 35, status = "in_progress", health = "at_risk", note = "已与阿拉木图伙伴签署合作备忘录。" });
        using var moved = await Service.Client.PutAsJsonAsync($"/api/v1/initiatives/{id}/deadline", new { deadline = Iso(today.AddDays(-12)), reason = "合作方签证延误。" });
        moved.EnsureSuccessStatusCode();
        return new ChineseInitiative(id, "丝绸之路创新中心联合培养计划", "王小明", "已与阿拉木图伙伴签署合作备忘录。", "合作方签证延误。");
    }

    private async Task<JsonElement> PostAsync(string url, object body)
    {
        using var response = await Service.Client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"POST {url} should succeed: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record ChineseInitiative(long Id, string Title, string OwnerName, string CheckInNote, string DeadlineReason);

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
