using System.Text;
using System.Text.Json;
using InitiativeTracker.Cli.Tests.Infrastructure;
using static InitiativeTracker.Cli.Tests.Infrastructure.TrackerService;

namespace InitiativeTracker.Cli.Tests;

/// <summary>Each command against the real service, in its output forms: JSON when piped, a table on a terminal, CSV.</summary>
public sealed class CommandTests(TrackerService service) : IClassFixture<TrackerService>
{
    [Fact]
    public async Task CheckInAsWrittenInACronJobRecordsItAndPrintsTheCheckIn()
    {
        var owner = await service.CreateOwnerAsync("Cron Owner");
        var id = await service.CreateInitiativeAsync(owner, "Cron initiative");

        var checkIn = (await service.Tracker("checkin", Text(id), "--progress", "60", "--health", "on_track", "--note", "MoU signed")).Succeeded().Json();

        checkIn.GetProperty("initiativeId").GetInt64().Should().Be(id);
        checkIn.GetProperty("progress").GetInt32().Should().Be(60);
        checkIn.GetProperty("health").GetString().Should().Be("on_track");
        checkIn.GetProperty("note").GetString().Should().Be("MoU signed");
        var initiative = await service.GetJsonAsync($"/api/v1/initiatives/{id}");
        initiative.GetProperty("progress").GetInt32().Should().Be(60);
        var checkIns = await service.GetJsonAsync($"/api/v1/initiatives/{id}/check-ins");
        checkIns.GetProperty("items").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("id").GetInt64().Should().Be(checkIn.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ShowPrintsTheServicesJsonWhenPipedAndATableOnATerminal()
    {
        var owner = await service.CreateOwnerAsync("Show Owner");
        var id = await service.CreateInitiativeAsync(owner, "Shown initiative");

        var piped = (await service.Tracker("initiatives", "show", Text(id))).Succeeded();
        var served = await service.GetJsonAsync($"/api/v1/initiatives/{id}");
        JsonSerializer.Serialize(piped.Json()).Should().Be(JsonSerializer.Serialize(served), "piped output is the service's JSON, field for field");

        var table = (await service.TrackerOnTerminal("initiatives", "show", Text(id))).Succeeded().Output;
        table.Should().MatchRegex($@"(?m)^id\s+{id}$").And.MatchRegex(@"(?m)^title\s+Shown initiative$").And.MatchRegex(@"(?m)^status\s+planned$");

        var csv = (await service.Tracker("initiatives", "show", Text(id), "--output", "csv")).Succeeded().Output;
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().StartWith("id,directionId,ownerId,taskForceId,title,");
        lines[1].Should().StartWith($"{id},1,{owner},,Shown initiative,");

        var json = (await service.TrackerOnTerminal("initiatives", "show", Text(id), "-o", "json")).Succeeded();
        json.Json().GetProperty("id").GetInt64().Should().Be(id, "--output json wins over the terminal");
    }

    [Fact]
    public async Task ListWithFiltersAndAllWritesEveryMatchingRowAsCsv()
    {
        var owner = await service.CreateOwnerAsync("List Owner");
        var started = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var id = await service.CreateInitiativeAsync(owner, $"Started, with \"quotes\", number {i}");
            (await service.Tracker("checkin", Text(id), "--progress", "10", "--health", "on_track", "--status", "in_progress")).Succeeded();
            started.Add(id);
        }

        var planned = await service.CreateInitiativeAsync(owner, "Still planned");

        var csv = (await service.Tracker("initiatives", "list", "--owner", Text(owner), "--status", "in_progress", "--all", "--page-size", "2", "--output", "csv"))
            .Succeeded().Output;

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("id,directionId,ownerId,taskForceId,title,description,startDate,deadline,originalDeadline,status,progress,health,"
            + "completedOn,isOverdue,daysOverdue,daysUntilDeadline,lastCheckInAt,deadlineChanges,version,createdAt,updatedAt");
        lines.Skip(1).Select(l => long.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeEquivalentTo(started, "--all follows the three pages of two");
        lines.Skip(1).Should().OnlyContain(l => l.Contains(",in_progress,", StringComparison.Ordinal));
        csv.Should().Contain("\"Started, with \"\"quotes\"\", number 0\"", "CSV quotes commas and doubles quotes");
        csv.Should().NotContain(Text(planned) + ",1,");
    }

    [Fact]
    public async Task CsvGuardsTextASpreadsheetWouldRunAsAFormulaAsTheServicesCsvDoes()
    {
        var owner = await service.CreateOwnerAsync("Formula Owner");
        var id = await service.CreateInitiativeAsync(owner, "=HYPERLINK(\"http://example.invalid\")", DaysFromToday(21));

        var csv = (await service.Tracker("initiatives", "list", "--owner", Text(owner), "--output", "csv")).Succeeded().Output;

        csv.Should().Contain($"{id},1,{owner},,\"'=HYPERLINK(\"\"http://example.invalid\"\")\",");
        var served = await ServedCsvAsync($"/api/v1/reports/upcoming?ownerId={owner}&withinDays=60&format=csv");
        served.Should().Contain("'=HYPERLINK(", "the service's report CSV guards it the same way");
    }

    [Fact]
    public async Task ListShowsOnePageWithoutAllAndSaysSoOnATerminal()
    {
        var owner = await service.CreateOwnerAsync("Paged Owner");
        for (var i = 0; i < 3; i++)
        {
            await service.CreateInitiativeAsync(owner, $"Paged {i}");
        }

        var page = (await service.Tracker("initiatives", "list", "--owner", Text(owner), "--page-size", "2")).Succeeded().Json();
        page.GetArrayLength().Should().Be(2);

        var all = (await service.Tracker("initiatives", "list", "--owner", Text(owner), "--page-size", "2", "--all")).Succeeded().Json();
        all.GetArrayLength().Should().Be(3);
        all.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Should().OnlyHaveUniqueItems();

        var table = (await service.TrackerOnTerminal("initiatives", "list", "--owner", Text(owner), "--page-size", "2")).Succeeded();
        table.Output.Should().MatchRegex(@"^id\s+title\s+status\s+progress\s+health\s+deadline");
        table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4, "a header, a rule and two rows");
        table.Error.Should().Contain("2 of 3 rows").And.Contain("--all");
    }

    [Fact]
    public async Task DeadlineMovesItWithTheReasonAndTheVersionRead()
    {
        var owner = await service.CreateOwnerAsync("Deadline Owner");
        var id = await service.CreateInitiativeAsync(owner, "Licence-bound initiative", "2026-12-31");

        var moved = (await service.Tracker("deadline", Text(id), "--to", "2027-03-31", "--reason", "licence delayed")).Succeeded().Json();

        moved.GetProperty("deadline").GetString().Should().Be("2027-03-31");
        moved.GetProperty("originalDeadline").GetString().Should().Be("2026-12-31");
        moved.GetProperty("version").GetInt64().Should().Be(2);
        var history = await service.GetJsonAsync($"/api/v1/initiatives/{id}/deadline-changes");
        history.GetProperty("items").EnumerateArray().Should().ContainSingle().Which.GetProperty("reason").GetString().Should().Be("licence delayed");
    }

    [Fact]
    public async Task UpdateChangesTheNamedFieldsOnlyUnderIfMatch()
    {
        var owner = await service.CreateOwnerAsync("Update Owner");
        var id = await service.CreateInitiativeAsync(owner, "Before the update");

        var updated = (await service.Tracker("initiatives", "update", Text(id), "--description", "With two partner universities")).Succeeded().Json();

        updated.GetProperty("title").GetString().Should().Be("Before the update");
        updated.GetProperty("description").GetString().Should().Be("With two partner universities");
        updated.GetProperty("version").GetInt64().Should().Be(2);

        var stale = await service.Tracker("initiatives", "update", Text(id), "--title", "From a stale read", "--if-version", "1");
        stale.ExitCode.Should().Be(ExitCodes.Conflict);
        stale.Error.Should().Contain("(412)");
        (await service.GetJsonAsync($"/api/v1/initiatives/{id}")).GetProperty("title").GetString().Should().Be("Before the update");

        var nothing = await service.Tracker("initiatives", "update", Text(id));
        nothing.ExitCode.Should().Be(ExitCodes.BadInput);
        nothing.Error.Should().Contain("Nothing to change");
    }

    [Fact]
    public async Task ImportPrintsTheCreatedIdsOnePerLine()
    {
        var owner = await service.CreateOwnerAsync("Import Owner");
        var file = Path.Combine(service.Folder, "initiatives.csv");
        await File.WriteAllTextAsync(file,
            $"directionId,ownerId,title,description,deadline\r\n1,{owner},Imported one,\"With a comma, inside\",2027-01-31\r\n2,{owner},Imported two,,2027-02-28\r\n");

        var result = (await service.TrackerOnTerminal("import", file)).Succeeded();

        var ids = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
        ids.Should().HaveCount(2);
        result.Error.Should().Contain("Created 2 initiatives");
        (await service.GetJsonAsync($"/api/v1/initiatives/{ids[0]}")).GetProperty("description").GetString().Should().Be("With a comma, inside");
        (await service.GetJsonAsync($"/api/v1/initiatives/{ids[1]}")).GetProperty("title").GetString().Should().Be("Imported two");

        var json = (await service.Tracker("initiatives", "import", WriteJsonImport(owner))).Succeeded().Json();
        json.GetProperty("created").GetInt32().Should().Be(1);
        json.GetProperty("ids").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task ImportWithBadRowsPrintsEveryRowsErrorsAndCreatesNothing()
    {
        var owner = await service.CreateOwnerAsync("Bad Import Owner");
        var file = Path.Combine(service.Folder, "bad.csv");
        await File.WriteAllTextAsync(file,
            $"directionId,ownerId,title,deadline\n1,{owner},Fine row,2027-01-31\nx,{owner},,2027-01-31\n1,{owner},Bad date,2027-13-01\n");

        var result = await service.Tracker("import", file);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Output.Should().BeEmpty();
        result.Error.Should().Contain("(400)")
            .And.Contain("rows[1].directionId:")
            .And.Contain("rows[1].title:")
            .And.Contain("rows[2].deadline:");
        var list = (await service.Tracker("initiatives", "list", "--owner", Text(owner))).Succeeded().Json();
        list.GetArrayLength().Should().Be(0, "an import with a bad row writes nothing");
    }

    [Fact]
    public async Task OwnersCreateShowAndListInEveryForm()
    {
        var created = (await service.Tracker("owners", "create", "--name", "Zhang Wei", "--email", "zhang.wei@example.edu", "--unit", "School of Energy"))
            .Succeeded().Json();
        var id = created.GetProperty("id").GetInt64();

        (await service.Tracker("owners", "show", Text(id))).Succeeded().Json().GetProperty("email").GetString().Should().Be("zhang.wei@example.edu");
        var list = (await service.Tracker("owners", "list", "--query", "Zhang Wei", "--all")).Succeeded().Json();
        list.EnumerateArray().Should().ContainSingle(o => o.GetProperty("id").GetInt64() == id);
        (await service.TrackerOnTerminal("owners", "list", "-q", "Zhang Wei")).Succeeded().Output
            .Should().MatchRegex($@"(?m)^{id}\s+Zhang Wei\s+zhang\.wei@example\.edu\s+School of Energy$");
        (await service.Tracker("owners", "list", "-q", "Zhang Wei", "-o", "csv")).Succeeded().Output
            .Should().StartWith("id,name,email,unit,version,createdAt,updatedAt\r\n").And.Contain($"{id},Zhang Wei,zhang.wei@example.edu,School of Energy,1,");
    }

    [Fact]
    public async Task OverdueReportGroupedByOwnerAsOfADate()
    {
        var owner = await service.CreateOwnerAsync("Overdue Owner");
        var late = await service.CreateInitiativeAsync(owner, "Late by the end of June", "2026-06-01");

        var asOfToday = (await service.Tracker("report", "overdue", "--group-by", "owner", "--owner", Text(owner))).Succeeded().Json();
        asOfToday.GetProperty("groupBy").GetString().Should().Be("owner");
        asOfToday.GetProperty("items").EnumerateArray().Should().ContainSingle().Which.GetProperty("initiativeId").GetInt64().Should().Be(late);
        asOfToday.GetProperty("groups").EnumerateArray().Should().ContainSingle().Which.GetProperty("groupId").GetInt64().Should().Be(owner);

        // The line from the issue: history as of a date (the initiative was created after it, so it is not there yet).
        var asOf = (await service.Tracker("report", "overdue", "--group-by", "owner", "--as-of", "2026-06-30")).Succeeded().Json();
        asOf.GetProperty("asOf").GetString().Should().Be("2026-06-30");
        asOf.GetProperty("groupBy").GetString().Should().Be("owner");

        var table = (await service.TrackerOnTerminal("report", "overdue", "--group-by", "owner", "--owner", Text(owner))).Succeeded().Output;
        table.Should().StartWith("Overdue on ").And.MatchRegex($@"(?m)^{owner}\s+Overdue Owner\s+1$").And.Contain("Late by the end of June");

        var csv = (await service.Tracker("report", "overdue", "--owner", Text(owner), "--output", "csv")).Succeeded().Output;
        csv.Should().Be(await ServedCsvAsync($"/api/v1/reports/overdue?ownerId={owner}&format=csv"), "CSV is the service's own");
    }

    [Fact]
    public async Task TrendByMonthAndTheOtherReports()
    {
        var owner = await service.CreateOwnerAsync("Report Owner");
        // Due in three weeks, so the upcoming report (60 days) holds it.
        var id = await service.CreateInitiativeAsync(owner, "Reported initiative", DaysFromToday(21));
        (await service.Tracker("checkin", Text(id), "--progress", "40", "--health", "at_risk", "--status", "in_progress")).Succeeded();

        var trend = (await service.Tracker("report", "trend", "--interval", "month")).Succeeded().Json();
        trend.GetProperty("interval").GetString().Should().Be("month");
        trend.GetProperty("series").EnumerateArray().Should().ContainSingle().Which.GetProperty("points").GetArrayLength().Should().BeGreaterThan(0);
        (await service.TrackerOnTerminal("report", "trend", "--interval", "month")).Succeeded().Output
            .Should().Contain(" by month ").And.MatchRegex(@"(?m)^groupName\s+date\s+total");
        (await service.Tracker("report", "trend", "--interval", "month", "--output", "csv")).Succeeded().Output
            .Should().Be(await ServedCsvAsync("/api/v1/reports/trend?interval=month&format=csv"));

        var upcoming = (await service.Tracker("report", "upcoming", "--owner", Text(owner), "--within-days", "60")).Succeeded().Json();
        upcoming.GetProperty("items").EnumerateArray().Should().ContainSingle().Which.GetProperty("initiativeId").GetInt64().Should().Be(id);

        var progress = (await service.Tracker("report", "progress", "--owner", Text(owner))).Succeeded().Json();
        progress.GetProperty("overall").GetProperty("inProgress").GetInt64().Should().Be(1);
        progress.GetProperty("overall").GetProperty("atRisk").GetInt64().Should().Be(1);
        (await service.TrackerOnTerminal("report", "progress")).Succeeded().Output.Should().MatchRegex(@"(?m)^overall\s+\d+");

        var execution = (await service.Tracker("report", "execution", "--group-by", "owner", "--owner", Text(owner))).Succeeded().Json();
        execution.GetProperty("groups").EnumerateArray().Should().ContainSingle().Which.GetProperty("open").GetInt64().Should().Be(1);
        (await service.Tracker("report", "execution", "--output", "csv")).Succeeded().Output
            .Should().Be(await ServedCsvAsync("/api/v1/reports/execution?format=csv"));
    }

    [Fact]
    public async Task OverdueReportFollowsEveryPageWithAll()
    {
        var owner = await service.CreateOwnerAsync("Many Late Owner");
        var late = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            late.Add(await service.CreateInitiativeAsync(owner, $"Late {i}", "2026-01-1" + i));
        }

        var one = (await service.Tracker("report", "overdue", "--owner", Text(owner), "--page-size", "2")).Succeeded().Json();
        one.GetProperty("items").GetArrayLength().Should().Be(2);
        one.GetProperty("totalCount").GetInt64().Should().Be(5);

        var all = (await service.Tracker("report", "overdue", "--owner", Text(owner), "--page-size", "2", "--all")).Succeeded().Json();
        all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("initiativeId").GetInt64()).Should().BeEquivalentTo(late);
        all.GetProperty("pageSize").GetInt32().Should().Be(5);
    }

    [Fact]
    public async Task HelpListsTheCommands()
    {
        var help = await service.Tracker("--help");
        help.ExitCode.Should().Be(0);
        help.Output.Should().Contain("checkin").And.Contain("deadline").And.Contain("import").And.Contain("report").And.Contain("owners").And.Contain("login");
    }

    [Fact]
    public async Task AsAProcessItWritesJsonIntoAPipeAndExitsWithTheCode()
    {
        var owner = await service.CreateOwnerAsync("Process Owner");
        var id = await service.CreateInitiativeAsync(owner, "Shown to a pipe");

        var (exitCode, output, _) = await RunProcessAsync("initiatives", "show", Text(id));
        exitCode.Should().Be(0);
        using (var json = JsonDocument.Parse(output))
        {
            json.RootElement.GetProperty("title").GetString().Should().Be("Shown to a pipe", "standard output is a pipe, so JSON");
        }

        var (missing, nothing, error) = await RunProcessAsync("initiatives", "show", "987654321");
        missing.Should().Be(ExitCodes.NotFound);
        nothing.Should().BeEmpty();
        error.Should().Contain("Not Found (404)");
    }

    /// <summary>tracker as its own process (the build output beside the tests), with standard output a pipe.</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tracker.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in service.Environment())
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private string WriteJsonImport(long owner)
    {
        var file = Path.Combine(service.Folder, $"import-{owner}.json");
        File.WriteAllText(file, $$"""[{ "directionId": 3, "ownerId": {{owner}}, "title": "From JSON", "deadline": "2027-04-30" }]""");
        return file;
    }

    /// <summary>The report's CSV as the service sends it, without its byte-order mark.</summary>
    private async Task<string> ServedCsvAsync(string path)
    {
        var bytes = await service.Process.Client.GetByteArrayAsync(path);
        return new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
    }
}
