using System.Text.Json;
using InitiativeTracker.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InitiativeTracker.Dashboard.Tests;

/// <summary>
/// The dashboard as a person uses it, in the system's headless Chromium against the real service on demo
/// data: every number and row is compared with the report the API answers to the same viewer key, and
/// every test fails on a console error or Content-Security-Policy violation. Screenshots at 375 and 1440
/// px wide go to TestResults/screenshots in the test output (docs/dashboard.md).
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardTests(DashboardFixture fixture)
{
    [Theory]
    [InlineData(375)]
    [InlineData(1440)]
    public async Task ShowsEachDirectionsNumbersAsTheProgressReportHasThem(int width)
    {
        await using var dashboard = await fixture.OpenAsync(width);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey);

        var progress = await fixture.GetJsonAsync("/api/v1/reports/progress");
        var directions = progress.GetProperty("directions").EnumerateArray().ToList();
        directions.Should().HaveCount(3, "the demo data follows the meeting's three directions");
        await Expect(page.Locator("[data-direction-id]")).ToHaveCountAsync(3);
        foreach (var direction in directions)
        {
            var card = page.Locator($"[data-direction-id='{direction.GetProperty("directionId").GetInt64()}']");
            await Expect(card.GetByRole(AriaRole.Heading, new() { Level = 3 })).ToHaveTextAsync(direction.GetProperty("directionTitle").GetString()!);
            await Expect(card.Locator(".eyebrow")).ToHaveTextAsync($"Direction {direction.GetProperty("directionNumber").GetInt32()}");
            await ExpectMetrics(card, direction,
                ("meanProgress", Shown.Progress), ("overdue", Shown.Count), ("onTimeRate", Shown.Rate), ("total", Shown.Count),
                ("planned", Shown.Count), ("inProgress", Shown.Count), ("blocked", Shown.Count), ("done", Shown.Count),
                ("cancelled", Shown.Count), ("atRisk", Shown.Count), ("offTrack", Shown.Count));
        }

        var overall = progress.GetProperty("overall");
        await ExpectMetrics(page.Locator("[data-scope='overall']"), overall,
            ("total", Shown.Count), ("done", Shown.Count), ("overdue", Shown.Count), ("onTimeRate", Shown.Rate), ("meanProgress", Shown.Progress));

        // Each direction's trend chart: three lines, axes with labels, and a legend with the last point's numbers.
        var trend = await fixture.GetJsonAsync("/api/v1/reports/trend?groupBy=direction");
        foreach (var series in trend.GetProperty("series").EnumerateArray())
        {
            var card = page.Locator($"[data-direction-id='{series.GetProperty("groupId").GetInt64()}']");
            var last = series.GetProperty("points").EnumerateArray().Last();
            await Expect(card.Locator("svg.chart polyline")).ToHaveCountAsync(3);
            await Expect(card.Locator("svg.chart .chart__axis-title")).ToHaveTextAsync(["Week ending", "Initiatives"]);
            (await card.Locator("svg.chart .chart__xlabel").CountAsync()).Should().BeGreaterThan(1);
            await Expect(card.Locator(".legend__item--total strong")).ToHaveTextAsync(Shown.Count(last.GetProperty("total")));
            await Expect(card.Locator(".legend__item--done strong")).ToHaveTextAsync(Shown.Count(last.GetProperty("done")));
            await Expect(card.Locator(".legend__item--overdue strong")).ToHaveTextAsync(Shown.Count(last.GetProperty("overdue")));
        }

        await Expect(page.Locator("main")).ToHaveAttributeAsync("aria-busy", "false");
        await dashboard.ScreenshotAsync("overview");
        dashboard.Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1440)]
    public async Task FiltersTheOverdueTableByADirectionAsTheOverdueReportDoes(int width)
    {
        await using var dashboard = await fixture.OpenAsync(width);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey, "#/overdue");
        var all = await fixture.GetJsonAsync("/api/v1/reports/overdue?pageSize=50");
        await ExpectRows(page, all);

        await page.GetByLabel("Direction", new() { Exact = true }).SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var direction = await fixture.GetJsonAsync("/api/v1/reports/overdue?directionId=2&pageSize=50");
        direction.GetProperty("totalCount").GetInt64().Should().BeLessThan(all.GetProperty("totalCount").GetInt64());
        await ExpectRows(page, direction);
        await Expect(page.Locator("#overdue-table")).ToContainTextAsync(fixture.Chinese.Title);
        await Expect(page.Locator("#overdue-table")).ToContainTextAsync(fixture.Chinese.OwnerName);

        await page.GetByLabel("Group by", new() { Exact = true }).SelectOptionAsync("owner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var grouped = await fixture.GetJsonAsync("/api/v1/reports/overdue?directionId=2&groupBy=owner&pageSize=50");
        await ExpectRows(page, grouped);
        var groups = grouped.GetProperty("groups").EnumerateArray().ToList();
        await Expect(page.Locator("#overdue-table .group__header th")).ToHaveTextAsync(
            groups.Select(g => $"{g.GetProperty("groupName").GetString()} {g.GetProperty("count").GetInt64()} overdue").ToArray());

        await dashboard.ScreenshotAsync("overdue");
        dashboard.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task DownloadsTheOverdueCsvOfTheChosenFiltersWithTheKeyInAHeader()
    {
        await using var dashboard = await fixture.OpenAsync(1440);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey, "#/overdue?directionId=2");
        await Expect(page.Locator("#overdue-table")).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());

        using var expected = await fixture.Viewer.GetAsync("/api/v1/reports/overdue?directionId=2&format=csv");
        expected.EnsureSuccessStatusCode();
        download.SuggestedFilename.Should().Be(expected.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var downloaded = await File.ReadAllBytesAsync((await download.PathAsync())!);
        downloaded.Should().Equal(await expected.Content.ReadAsByteArrayAsync());
        System.Text.Encoding.UTF8.GetString(downloaded).Should().Contain(fixture.Chinese.Title);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Downloaded" })).ToBeVisibleAsync();
        dashboard.Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1440)]
    public async Task OpensAnInitiativeWithItsCheckInsAndDeadlineMoves(int width)
    {
        await using var dashboard = await fixture.OpenAsync(width);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey, "#/overdue?directionId=2");

        await page.GetByRole(AriaRole.Link, new() { Name = fixture.Chinese.Title }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync(fixture.Chinese.Title);
        var checkIns = await fixture.GetJsonAsync($"/api/v1/initiatives/{fixture.Chinese.Id}/check-ins");
        await Expect(page.Locator("#check-ins > li")).ToHaveCountAsync(checkIns.GetProperty("totalCount").GetInt32());
        await Expect(page.Locator("#check-ins")).ToContainTextAsync(fixture.Chinese.CheckInNote);
        await Expect(page.Locator("#deadline-moves tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#deadline-moves")).ToContainTextAsync(fixture.Chinese.DeadlineReason);
        await Expect(page.Locator(".fields")).ToContainTextAsync(fixture.Chinese.OwnerName);
        await Expect(page.Locator("[data-metric='progress']")).ToHaveTextAsync("35%");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Overdue initiatives" })).ToHaveAttributeAsync("href", "#/overdue?directionId=2");
        await dashboard.ScreenshotAsync("initiative");

        // A demo initiative with several check-ins: the timeline lists them newest first, as the API does.
        var busiest = await BusiestInitiativeAsync();
        await page.GotoAsync(new Uri(fixture.Service.Address, $"/#/initiatives/{busiest.Id}").ToString());
        await Expect(page.Locator("#check-ins > li")).ToHaveCountAsync(busiest.CheckInIds.Count);
        (await page.Locator("#check-ins > li").EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.checkInId))"))
            .Should().Equal(busiest.CheckInIds);
        dashboard.Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("taskForce")]
    public async Task ShowsTheScorecardAsTheExecutionReportHasIt(string groupBy)
    {
        await using var dashboard = await fixture.OpenAsync(1440);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey, $"#/scorecard?groupBy={groupBy}");

        var report = await fixture.GetJsonAsync($"/api/v1/reports/execution?groupBy={groupBy}");
        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        await Expect(page.Locator("#scorecard-table tbody tr")).ToHaveCountAsync(groups.Count);
        await Expect(page.Locator("#scorecard-table tbody th")).ToHaveTextAsync(groups.Select(g => g.GetProperty("groupName").GetString() ?? "No task force").ToArray());
        await Expect(page.Locator("#scorecard-table tbody td[data-label='On-time rate']")).ToHaveTextAsync(groups.Select(g => Shown.Rate(g.GetProperty("onTimeRate"))).ToArray());
        await Expect(page.Locator("#scorecard-table tbody td[data-label='Open overdue']")).ToHaveTextAsync(groups.Select(g => Shown.Count(g.GetProperty("openOverdue"))).ToArray());
        await Expect(page.Locator("#scorecard-table tbody td[data-label='Completed']")).ToHaveTextAsync(groups.Select(g => Shown.Count(g.GetProperty("completed"))).ToArray());
        if (groupBy == "owner")
        {
            await Expect(page.Locator("#scorecard-table")).ToContainTextAsync(fixture.Chinese.OwnerName);
        }

        await dashboard.ScreenshotAsync($"scorecard-{groupBy}");
        dashboard.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task SaysTheKeyWasRefusedAndLetsThePersonChangeIt()
    {
        await using var dashboard = await fixture.OpenAsync(1440);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey);
        await Expect(page.Locator("[data-direction-id]")).ToHaveCountAsync(3);

        dashboard.Expect("status of 401");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change key" }).ClickAsync();
        await dashboard.PasteKeyAsync("itk_not-a-key-this-service-ever-issued");

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert.GetByRole(AriaRole.Heading)).ToHaveTextAsync("The key was refused");
        await Expect(alert).ToContainTextAsync("401");
        await dashboard.ScreenshotAsync("wrong-key");

        await alert.GetByRole(AriaRole.Button, new() { Name = "Change key" }).ClickAsync();
        await dashboard.PasteKeyAsync(fixture.ViewerKey);
        await Expect(page.Locator("[data-direction-id]")).ToHaveCountAsync(3);
        dashboard.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task SaysTheServiceDidNotAnswerWhenItIsDown()
    {
        await using var service = await Api.Tests.Infrastructure.ServiceProcess.StartAsync(Path.Combine(Path.GetTempPath(), $"it-dashboard-down-{Guid.NewGuid():N}.db"));
        await using var dashboard = await DashboardPage.OpenAsync(fixture.Browser, service.Address, 1440);
        var page = dashboard.Page;
        await dashboard.SignInAsync(Api.Tests.Infrastructure.ServiceProcess.AdminKey);
        // An empty database: the directions with nothing in them, and each chart says there is nothing
        // to draw. Everything has loaded (the trend comes last), so no request is cut off by the kill.
        await Expect(page.Locator("[data-direction-id]")).ToHaveCountAsync(3);
        await Expect(page.Locator(".trend-slot .loading")).ToHaveCountAsync(0);
        await Expect(page.Locator(".trend-slot")).ToHaveTextAsync(["No history to draw yet.", "No history to draw yet.", "No history to draw yet."]);
        await dashboard.ScreenshotAsync("overview-empty");

        dashboard.Expect("ERR_CONNECTION_REFUSED");
        await service.KillAsync();
        await ViewsNav(page).GetByRole(AriaRole.Link, new() { Name = "Overdue", Exact = true }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert.GetByRole(AriaRole.Heading)).ToHaveTextAsync("The service did not answer");
        await Expect(alert.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("service-down");
        dashboard.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task WorksByKeyboardWithLandmarks()
    {
        await using var dashboard = await fixture.OpenAsync(1440);
        var page = dashboard.Page;
        await page.GotoAsync(fixture.Service.Address.ToString());

        await Expect(page.GetByRole(AriaRole.Banner)).ToHaveCountAsync(1);
        await Expect(ViewsNav(page)).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
        // The key field has the focus: paste and Enter.
        await Expect(page.GetByLabel("API key", new() { Exact = true })).ToBeFocusedAsync();
        await dashboard.ScreenshotAsync("key");
        await page.Keyboard.TypeAsync(fixture.ViewerKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-direction-id]")).ToHaveCountAsync(3);

        // From the top of the page (the key is kept for the tab): the skip link first, then on to the Overdue link, and Enter.
        await page.ReloadAsync();
        await Expect(page.Locator("[data-direction-id]")).ToHaveCountAsync(3);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        var overdueLink = ViewsNav(page).GetByRole(AriaRole.Link, new() { Name = "Overdue", Exact = true });
        var visited = new List<string>();
        for (var i = 0; i < 10 && await page.EvaluateAsync<string?>("document.activeElement?.dataset?.nav ?? null") != "overdue"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            visited.Add(await page.EvaluateAsync<string>("document.activeElement.outerHTML.slice(0, 80)"));
        }

        visited.Should().HaveCountLessThan(10, "Tab reaches the Overdue link: {0}", string.Join(" | ", visited));
        await Expect(overdueLink).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Overdue initiatives" })).ToBeVisibleAsync();
        await Expect(page.Locator("#overdue-table")).ToBeVisibleAsync();
        await Expect(overdueLink).ToHaveAttributeAsync("aria-current", "page");

        // The filters by keyboard: the direction list, then Apply.
        await page.GetByLabel("Direction", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("directionId=1"));
        dashboard.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task PrintsWithoutControlsButWithChartsAndTables()
    {
        await using var dashboard = await fixture.OpenAsync(1440);
        var page = dashboard.Page;
        await dashboard.SignInAsync(fixture.ViewerKey);
        await Expect(page.Locator("svg.chart")).ToHaveCountAsync(3);

        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Expect(ViewsNav(page)).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change key" })).ToBeHiddenAsync();
        foreach (var chart in await page.Locator("svg.chart").AllAsync())
        {
            await Expect(chart).ToBeVisibleAsync();
        }

        await dashboard.ScreenshotAsync("print-overview");
        await page.GotoAsync(new Uri(fixture.Service.Address, "/#/overdue").ToString());
        await Expect(page.Locator("#overdue-table")).ToBeVisibleAsync();
        await Expect(page.Locator("form.filters")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" })).ToBeHiddenAsync();
        dashboard.Errors.Should().BeEmpty();
    }

    private static ILocator ViewsNav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Views" });

    private static async Task ExpectMetrics(ILocator scope, JsonElement row, params (string Field, Func<JsonElement, string> Show)[] metrics)
    {
        foreach (var (field, show) in metrics)
        {
            await Expect(scope.Locator($"[data-metric='{field}']")).ToHaveTextAsync(show(row.GetProperty(field)));
        }
    }

    /// <summary>The table shows the report's rows in its order: the initiative, its days overdue and its owner.</summary>
    private static async Task ExpectRows(IPage page, JsonElement report)
    {
        var items = report.GetProperty("items").EnumerateArray().ToList();
        items.Should().NotBeEmpty("the demo data has overdue initiatives");
        await Expect(page.Locator(".result-count")).ToHaveAttributeAsync("data-total", report.GetProperty("totalCount").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rows = page.Locator("#overdue-table tbody tr[data-initiative-id]");
        await Expect(rows).ToHaveCountAsync(items.Count);
        (await rows.EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.initiativeId))"))
            .Should().Equal(items.Select(i => i.GetProperty("initiativeId").GetInt64()));
        await Expect(rows.Locator("td[data-label='Days overdue']")).ToHaveTextAsync(items.Select(i => Shown.Count(i.GetProperty("daysOverdue"))).ToArray());
        await Expect(rows.Locator("td[data-label='Owner']")).ToHaveTextAsync(items.Select(i => i.GetProperty("ownerName").GetString()!).ToArray());
        await Expect(rows.Locator("th a")).ToHaveTextAsync(items.Select(i => i.GetProperty("title").GetString()!).ToArray());
    }

    private async Task<(long Id, List<long> CheckInIds)> BusiestInitiativeAsync()
    {
        var overdue = await fixture.GetJsonAsync("/api/v1/reports/overdue?pageSize=50");
        (long Id, List<long> CheckInIds) busiest = (0, []);
        foreach (var item in overdue.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("initiativeId").GetInt64();
            var checkIns = await fixture.GetJsonAsync($"/api/v1/initiatives/{id}/check-ins");
            var ids = checkIns.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
            if (ids.Count > busiest.CheckInIds.Count)
            {
                busiest = (id, ids);
            }
        }

        busiest.CheckInIds.Should().HaveCountGreaterThan(1, "the demo data has initiatives with several check-ins");
        return busiest;
    }
}
