// A task-force lead's week through the C# client NSwag generates from openapi.yaml (generated/, never
// edited), against a running service:
//
//   dotnet bin/Debug/net10.0/NSwagClient.dll <base URL> <admin key>
//
// Each step prints its name; the first wrong answer stops the run with what was expected and what came,
// and the process exits 1. The reports are also read through a plain HttpClient, and what the generated
// client read must equal what the JSON says.
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using InitiativeTracker.NSwagClient;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: NSwagClient <base URL> <admin key>");
    return 2;
}

var (baseUrl, adminKey) = (args[0], args[1]);
try
{
    await new Workflow(baseUrl, adminKey).RunAsync();
    Console.WriteLine("workflow: every step passed");
    return 0;
}
catch (WorkflowFailure failure)
{
    Console.Error.WriteLine($"workflow FAILED: {failure.Message}");
    return 1;
}

/// <summary>A wrong answer: the step, what was expected and what came.</summary>
internal sealed class WorkflowFailure(string message) : Exception(message);

internal sealed class Workflow(string baseUrl, string adminKey)
{
    /// <summary>Where the programme is overdue by a day and Almaty is due in eight: the reports do not depend on today.</summary>
    private static readonly DateTimeOffset AsOf = Date("2030-03-12");

    private string _step = "";

    public async Task RunAsync()
    {
        using var adminHttp = HttpFor(adminKey);
        var admin = new Client(baseUrl, adminHttp);

        // As admin: the owner, and a key for them that expires in three days, written with a +08:00 offset
        // (Newtonsoft.Json writes a DateTimeOffset as RFC 3339 with its offset).
        var owner = await Step("create the owner", () => admin.CreateOwnerAsync(null, new CreateOwnerCommand
        {
            Name = "Li Na",
            Email = "li.na@example.edu",
            Unit = "School of Mechanical Engineering",
        }));
        var inThreeDays = DateTimeOffset.UtcNow.AddDays(3);
        var expiresAt = inThreeDays.AddTicks(-(inThreeDays.Ticks % TimeSpan.TicksPerSecond)).ToOffset(TimeSpan.FromHours(8));
        var key = await Step("create the lead's expiring key", () => admin.CreateApiKeyAsync(new CreateApiKeyCommand
        {
            Name = "li-na-scripts",
            Role = ApiKeyRole.Lead,
            OwnerId = owner.Id,
            ExpiresAt = expiresAt,
        }));
        Equal(key.Role, ApiKeyRole.Lead, "the key's role");
        Equal(key.OwnerId, owner.Id, "the key's owner");
        Equal(key.ExpiresAt, expiresAt, "the key's expiry is the instant sent");
        var read = await Step("read the key", () => admin.GetApiKeyAsync(key.Id, null));
        Equal(read.ExpiresAt, expiresAt, "the stored expiry");
        Equal(read.Prefix, key.Prefix, "the key's prefix");

        using var leadHttp = HttpFor(key.Key);
        var lead = new Client(baseUrl, leadHttp);

        // Initiatives under the seeded directions, due in 2030.
        var directions = await Step("list the directions", () => lead.ListDirectionsAsync(null, null, null, null));
        long Direction(int number) =>
            directions.Items.SingleOrDefault(d => d.Number == number)?.Id ?? throw new WorkflowFailure($"direction {number} is not seeded");

        var almaty = await Step("create the Almaty initiative", () => lead.CreateInitiativeAsync(null, new CreateInitiativeCommand
        {
            DirectionId = Direction(2),
            OwnerId = owner.Id,
            Title = "Overseas innovation center in Almaty",
            Deadline = Date("2030-03-12"),
        }));
        Equal(almaty.Status, InitiativeStatus.Planned, "a new initiative's status");
        Equal(almaty.Health, Health.On_track, "a new initiative's health");
        Equal(Day(almaty.Deadline), "2030-03-12", "the deadline");
        Equal(Day(almaty.OriginalDeadline), "2030-03-12", "the original deadline");
        var fetched = await Step("read Almaty back", () => lead.GetInitiativeAsync(almaty.Id, null));
        Equal(fetched.Id, almaty.Id, "the id read back");
        Equal(fetched.Title, almaty.Title, "the title read back");

        var programme = await Step("create the master's programme", () => lead.CreateInitiativeAsync(null, new CreateInitiativeCommand
        {
            DirectionId = Direction(1),
            OwnerId = owner.Id,
            Title = "Joint master's programme with Kazakh universities",
            Deadline = Date("2030-03-11"),
        }));

        // Check-ins.
        var checkIn = await Step("check in on Almaty", () => lead.CreateCheckInAsync(almaty.Id, null, null, new CreateCheckInCommand
        {
            Progress = 30,
            Status = InitiativeStatus.In_progress,
            Health = Health.At_risk,
            Note = "Partner visit moved.",
        }));
        Equal(checkIn.InitiativeId, almaty.Id, "the check-in's initiative");
        Equal(checkIn.Progress, 30, "the check-in's progress");
        Equal(checkIn.PreviousStatus, InitiativeStatus.Planned, "the check-in's previous status");
        Equal(checkIn.ReportedBy, "li-na-scripts", "who reported the check-in");
        await Step("check in on the programme", () => lead.CreateCheckInAsync(programme.Id, null, null, new CreateCheckInCommand
        {
            Progress = 10,
            Status = InitiativeStatus.In_progress,
            Health = Health.Off_track,
        }));

        // Move Almaty's deadline.
        var moved = await Step("move Almaty's deadline", () => lead.MoveDeadlineAsync(almaty.Id, null, new MoveDeadlineCommand
        {
            Deadline = Date("2030-03-20"),
            Reason = "The partner university moved the visit.",
        }));
        Equal(Day(moved.Deadline), "2030-03-20", "the moved deadline");
        Equal(Day(moved.OriginalDeadline), "2030-03-12", "the original deadline after the move");
        Equal(moved.DeadlineChanges, 1, "the deadline changes");
        Equal(moved.Progress, 30, "Almaty's progress after its check-in");

        // PUT and PATCH with If-Match. The default client returns the body only, not the ETag header: the
        // document says the ETag is the version, quoted, and the service's header is checked to say the same.
        var current = await Step("read Almaty", () => lead.GetInitiativeAsync(almaty.Id, null));
        Equal(await ETagAsync(leadHttp, $"api/v1/initiatives/{almaty.Id}"), ETag(current.Version), "the ETag header");
        var replaced = await Step("PUT Almaty with If-Match", () => lead.UpdateInitiativeAsync(almaty.Id, ETag(current.Version), new UpdateInitiativeCommand
        {
            DirectionId = current.DirectionId,
            OwnerId = current.OwnerId,
            Title = current.Title,
            Description = "With three partner universities in Almaty.",
        }));
        Equal(replaced.Description, "With three partner universities in Almaty.", "the description PUT");
        Equal(replaced.Version, current.Version + 1, "the version after PUT");
        var patched = await Step("PATCH Almaty with If-Match", () => lead.PatchInitiativeAsync(almaty.Id, ETag(replaced.Version), new UpdateInitiativeCommandMergePatch
        {
            Title = "Overseas innovation center in Almaty (phase 1)",
        }));
        Equal(patched.Title, "Overseas innovation center in Almaty (phase 1)", "the title PATCHed");
        Equal(patched.Description, "With three partner universities in Almaty.", "a merge patch leaves the fields it does not name");
        Equal(patched.DirectionId, almaty.DirectionId, "a merge patch leaves the direction");
        Equal(patched.OwnerId, owner.Id, "a merge patch leaves the owner");

        var stale = await Refused<ProblemDetails>("PATCH Almaty with the stale ETag", 412, () => lead.PatchInitiativeAsync(almaty.Id, ETag(replaced.Version),
            new UpdateInitiativeCommandMergePatch { Title = "A stale title" }));
        Equal(stale.Status, 412, "the 412's status");
        Equal(stale.Type, ProblemDetailsType.Https__initiativeTracker_example_problems_preconditionFailed, "the 412's type");
        True(!string.IsNullOrWhiteSpace(stale.Detail), "the 412 says what happened");
        var unchanged = await Step("read Almaty after the stale PATCH", () => lead.GetInitiativeAsync(almaty.Id, null));
        Equal(unchanged.Title, patched.Title, "the title after a refused PATCH");
        Equal(unchanged.Version, patched.Version, "the version after a refused PATCH");

        // A merge patch that clears a field sends it as null. The model leaves out every property that is null
        // (NullValueHandling.Ignore: absent and null are one in C#), so the null goes in AdditionalProperties.
        var cleared = await Step("PATCH Almaty's description away", () => lead.PatchInitiativeAsync(almaty.Id, ETag(patched.Version),
            new UpdateInitiativeCommandMergePatch { AdditionalProperties = { ["description"] = null } }));
        Equal(cleared.Description, null, "the description a merge patch cleared");
        Equal(cleared.Title, patched.Title, "the title a merge patch did not name");

        // A list page, filtered by two statuses (both sent: either alone would match fewer).
        var page = await Step("list the started initiatives", () => lead.ListInitiativesAsync(
            null, owner.Id, null, [InitiativeStatus.In_progress, InitiativeStatus.Planned], null, null, null, null, null, "deadline", null, 1));
        Equal(page.TotalCount, 2L, "the filtered total");
        Equal(page.PageSize, 1, "the page size");
        Equal(string.Join(", ", page.Items.Select(i => i.Id)), $"{programme.Id}", "the first page (soonest deadline)");

        // Each report as of a fixed date, through the generated client and as the JSON the service sends.
        var overdue = await Step("read the overdue report", () => lead.OverdueReportAsync(AsOf, null, null, owner.Id, null, null, null, null, null));
        var overdueJson = await JsonAsync(leadHttp, $"api/v1/reports/overdue?asOf=2030-03-12&ownerId={owner.Id}");
        Equal(Day(overdue.AsOf), "2030-03-12", "the overdue report's date");
        Equal(overdue.TotalCount, 1L, "the overdue count");
        Equal(overdue.TotalCount, overdueJson.GetProperty("totalCount").GetInt64(), "the overdue count against the JSON");
        var late = overdue.Items.SingleOrDefault() ?? throw new WorkflowFailure("the overdue report has no single row");
        Equal(late.InitiativeId, programme.Id, "the overdue initiative");
        Equal(late.DaysOverdue, 1, "days overdue");
        Equal(late.OwnerEmail, "li.na@example.edu", "the overdue row's owner");
        Equal(late.Health, Health.Off_track, "the overdue row's health");
        Equal(Ids(overdue.Items.Select(r => r.InitiativeId)), Ids(overdueJson, "items", "initiativeId"), "the overdue rows against the JSON");

        var upcoming = await Step("read the upcoming report", () => lead.UpcomingReportAsync(null, AsOf, null, null, owner.Id, null, null, null, null, null));
        var upcomingJson = await JsonAsync(leadHttp, $"api/v1/reports/upcoming?asOf=2030-03-12&ownerId={owner.Id}");
        Equal(upcoming.WithinDays, 14, "the default window");
        Equal(string.Join("; ", upcoming.Items.Select(r => $"{r.InitiativeId} {Day(r.Deadline)} {r.DaysUntilDeadline}")),
            $"{almaty.Id} 2030-03-20 8", "the upcoming rows");
        Equal(upcoming.TotalCount, upcomingJson.GetProperty("totalCount").GetInt64(), "the upcoming count against the JSON");
        Equal(Ids(upcoming.Items.Select(r => r.InitiativeId)), Ids(upcomingJson, "items", "initiativeId"), "the upcoming rows against the JSON");

        var progress = await Step("read the progress report", () => lead.ProgressReportAsync(AsOf, null, null, owner.Id, null, null));
        var progressJson = (await JsonAsync(leadHttp, $"api/v1/reports/progress?asOf=2030-03-12&ownerId={owner.Id}")).GetProperty("overall");
        var overall = progress.Overall;
        Equal(Counts(overall.Total, overall.InProgress, overall.Overdue, overall.AtRisk, overall.OffTrack), "2 2 1 1 1", "the overall progress");
        Equal(Counts(overall.Total, overall.InProgress, overall.Overdue, overall.AtRisk, overall.OffTrack),
            Counts(progressJson, "total", "inProgress", "overdue", "atRisk", "offTrack"), "the overall progress against the JSON");
        Equal(overall.MeanProgress, progressJson.GetProperty("meanProgress").GetDouble(), "the mean progress against the JSON");

        var execution = await Step("read the execution scorecard", () => lead.ExecutionReportAsync(
            ReportGroupBy.Owner, null, null, null, AsOf, null, null, owner.Id, null, null));
        var executionJson = await JsonAsync(leadHttp, $"api/v1/reports/execution?asOf=2030-03-12&ownerId={owner.Id}&groupBy=owner");
        Equal(execution.GroupBy, ReportGroupBy.Owner, "the scorecard's grouping");
        var scorecard = execution.Groups.SingleOrDefault() ?? throw new WorkflowFailure("the scorecard has no single group");
        Equal(scorecard.GroupId, owner.Id, "the scorecard's group");
        Equal(Counts(scorecard.Open, scorecard.OpenOverdue, scorecard.DeadlineChanges), "2 1 1", "the scorecard");
        var scorecardJson = executionJson.GetProperty("groups")[0];
        Equal(Counts(scorecard.Open, scorecard.OpenOverdue, scorecard.DeadlineChanges, scorecard.Completed),
            Counts(scorecardJson, "open", "openOverdue", "deadlineChanges", "completed"), "the scorecard against the JSON");

        var trend = await Step("read the trend report", () => lead.TrendReportAsync(
            Date("2030-03-01"), Date("2030-03-31"), TrendInterval.Week, null, null, null, owner.Id, null, null));
        var trendJson = await JsonAsync(leadHttp, $"api/v1/reports/trend?from=2030-03-01&to=2030-03-31&interval=week&ownerId={owner.Id}");
        Equal(trend.Interval, TrendInterval.Week, "the trend's interval");
        var points = trend.Series.SelectMany(s => s.Points).ToList();
        var pointsJson = trendJson.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("points").EnumerateArray()).ToList();
        True(points.Count > 0, "the trend has points");
        Equal(string.Join("; ", points.Select(p => $"{Day(p.Date)} {Counts(p.Total, p.Open, p.Overdue, p.DeadlineMoves)}")),
            string.Join("; ", pointsJson.Select(p => $"{p.GetProperty("date").GetString()} {Counts(p, "total", "open", "overdue", "deadlineMoves")}")),
            "the trend's points against the JSON");
        Equal(points[^1].Total, 2L, "the trend's last point counts both initiatives");

        // A 400 whose field errors the client reads; nothing is written.
        var invalid = await Refused<HttpValidationProblemDetails>("check in with progress 150", 400, () => lead.CreateCheckInAsync(
            almaty.Id, null, null, new CreateCheckInCommand { Progress = 150, Health = Health.On_track }));
        Equal(invalid.Status, 400, "the 400's status");
        Equal(invalid.Type, HttpValidationProblemDetailsType.Https__initiativeTracker_example_problems_validation, "the 400's type");
        True(invalid.Errors.TryGetValue("progress", out var messages) && messages.Count > 0, $"errors names the field (it names {string.Join(", ", invalid.Errors.Keys)})");
        True(!string.IsNullOrWhiteSpace(invalid.Detail), "the 400 says what happened");
        var afterInvalid = await Step("read Almaty after the refused check-in", () => lead.GetInitiativeAsync(almaty.Id, null));
        Equal(afterInvalid.Progress, 30, "the progress after a refused check-in");
    }

    /// <summary>One call through the generated client that must succeed; a problem answer fails with its status, detail and field errors.</summary>
    private async Task<T> Step<T>(string name, Func<Task<T>> call)
    {
        Begin(name);
        try
        {
            return await call();
        }
        catch (ApiException<HttpValidationProblemDetails> e)
        {
            throw Fail($"{e.StatusCode} {e.Result.Detail} {string.Join("; ", e.Result.Errors.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}"))}");
        }
        catch (ApiException<ProblemDetails> e)
        {
            throw Fail($"{e.StatusCode} {e.Result.Detail}");
        }
        catch (ApiException e)
        {
            throw Fail($"{e.StatusCode} {e.Message} {e.Response}");
        }
    }

    /// <summary>One call that must be refused with a problem of this status, thrown by the client as <c>ApiException&lt;TProblem&gt;</c>.</summary>
    private async Task<TProblem> Refused<TProblem>(string name, int status, Func<Task> call)
    {
        Begin($"{name} (expecting {status})");
        try
        {
            await call();
        }
        catch (ApiException<TProblem> e)
        {
            Equal(e.StatusCode, status, "the status");
            var contentType = e.Headers.TryGetValue("Content-Type", out var values) ? string.Join(", ", values) : "(none)";
            Equal(contentType, "application/problem+json", "the content type");
            return e.Result;
        }
        catch (ApiException e)
        {
            throw Fail($"expected ApiException<{typeof(TProblem).Name}> with {status}, got {e.GetType().Name} {e.StatusCode} {e.Response}");
        }

        throw Fail($"expected {status}, and the call succeeded");
    }

    private void Begin(string name)
    {
        _step = name;
        Console.WriteLine($"- {name}");
    }

    private void Equal<T>(T actual, T expected, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            throw Fail($"{what}: expected {expected}, got {actual}");
        }
    }

    private void True(bool condition, string what)
    {
        if (!condition)
        {
            throw Fail(what);
        }
    }

    private WorkflowFailure Fail(string message) => new($"{_step}: {message}");

    /// <summary>A report as the service sends it, read with a plain HttpClient.</summary>
    private async Task<JsonElement> JsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    private async Task<string> ETagAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return response.Headers.ETag?.ToString() ?? throw Fail($"GET {path} has no ETag");
    }

    private HttpClient HttpFor(string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static string ETag(long version) => $"\"{version}\"";

    private static DateTimeOffset Date(string day) =>
        DateTimeOffset.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Day(DateTimeOffset date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Ids(IEnumerable<long> ids) => string.Join(", ", ids);

    private static string Ids(JsonElement report, string array, string field) =>
        Ids(report.GetProperty(array).EnumerateArray().Select(row => row.GetProperty(field).GetInt64()));

    private static string Counts(params long[] counts) => string.Join(" ", counts);

    private static string Counts(JsonElement row, params string[] fields) => Counts([.. fields.Select(f => row.GetProperty(f).GetInt64())]);
}
