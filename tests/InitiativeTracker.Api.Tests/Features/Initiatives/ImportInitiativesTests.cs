using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

public sealed class ImportInitiativesTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Url = "/api/v1/initiatives/import";

    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task ImportsAJsonArrayInOneGoWithAnAuditEntryPerRow()
    {
        var owner = await NewOwnerAsync();
        var json = $$"""
            [
              {"directionId": 2, "ownerId": {{owner}}, "title": "Import JSON one", "startDate": "2026-01-15", "deadline": "2026-12-31"},
              {"directionId": 1, "ownerId": {{owner}}, "title": "Import JSON two", "description": "Second", "deadline": "2026-08-31"},
              {"directionId": 3, "ownerId": {{owner}}, "title": "Import JSON three", "deadline": "2026-09-30"}
            ]
            """;

        var body = await (await PostAsync(json, "application/json")).ShouldBe(HttpStatusCode.Created);

        body["created"]!.GetValue<int>().Should().Be(3);
        var ids = body["ids"]!.AsArray().Select(i => i!.GetValue<long>()).ToList();
        ids.Should().HaveCount(3).And.BeInAscendingOrder();
        var second = await (await _client.GetAsync($"/api/v1/initiatives/{ids[1]}")).ShouldBe(HttpStatusCode.OK);
        second["title"]!.GetValue<string>().Should().Be("Import JSON two");
        second["description"]!.GetValue<string>().Should().Be("Second");
        second["status"]!.GetValue<string>().Should().Be("planned");
        second["deadline"]!.GetValue<string>().Should().Be("2026-08-31");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'initiative' AND action = 'create' AND entity_id IN (@a, @b, @c)",
            new { a = ids[0], b = ids[1], c = ids[2] })).Should().Be(3);
    }

    [Fact]
    public async Task RejectsTheWholeJsonImportListingEveryRowError()
    {
        var owner = await NewOwnerAsync();
        var before = await CountAsync();
        var json = $$"""
            [
              {"directionId": 2, "ownerId": {{owner}}, "title": "Valid row", "deadline": "2026-12-31"},
              {"directionId": 2, "ownerId": {{owner}}, "deadline": "31/12/2026"},
              {"directionId": 999, "ownerId": "seven", "title": "Bad references", "deadline": "2026-12-31", "taskForceId": 4242},
              "not an object",
              {"directionId": 1, "ownerId": {{owner}}, "title": "Starts late", "startDate": "2027-01-01", "deadline": "2026-12-31"}
            ]
            """;

        var problem = await (await PostAsync(json, "application/json")).ShouldBeProblem(HttpStatusCode.BadRequest);

        // Field errors and missing references together; the unreadable ownerId is not looked up as well.
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(
            "rows[1].title", "rows[1].deadline", "rows[2].directionId", "rows[2].ownerId", "rows[2].taskForceId", "rows[3]", "rows[4].startDate");
        problem["errors"]!["rows[2].directionId"]![0]!.GetValue<string>().Should().Be("No direction with id 999 exists.");
        problem["errors"]!["rows[2].ownerId"]!.AsArray().Should().ContainSingle();
        problem["errors"]!["rows[1].deadline"]![0]!.GetValue<string>().Should().Contain("yyyy-MM-dd");
        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReportsMissingReferencesForEveryRowAndWritesNothing()
    {
        var owner = await NewOwnerAsync();
        var before = await CountAsync();
        var json = $$"""
            [
              {"directionId": 2, "ownerId": {{owner}}, "title": "Fine", "deadline": "2026-12-31"},
              {"directionId": 999, "ownerId": {{owner}}, "title": "No such direction", "deadline": "2026-12-31"},
              {"directionId": 1, "ownerId": 888888, "taskForceId": 777777, "title": "No such owner", "deadline": "2026-12-31"}
            ]
            """;

        await (await PostAsync(json, "application/json")).ShouldBeProblem(HttpStatusCode.BadRequest,
            "rows[1].directionId", "rows[2].ownerId", "rows[2].taskForceId");

        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReportsMissingReferencesOfValidRowsAlongsideFieldErrorsOfOthers()
    {
        var owner = await NewOwnerAsync();
        var before = await CountAsync();
        var json = $$"""
            [
              {"directionId": 99, "ownerId": {{owner}}, "title": "Valid fields, missing direction", "deadline": "2026-12-31"},
              {"directionId": 1, "ownerId": {{owner}}, "title": "", "deadline": "2026-12-31"},
              {"directionId": 0, "ownerId": 888888, "title": "Both kinds in one row", "deadline": "2026-12-31"}
            ]
            """;

        var problem = await (await PostAsync(json, "application/json")).ShouldBeProblem(HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("rows[0].directionId", "rows[1].title", "rows[2].directionId", "rows[2].ownerId");
        problem["errors"]!["rows[0].directionId"]![0]!.GetValue<string>().Should().Be("No direction with id 99 exists.");
        problem["errors"]!["rows[2].directionId"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(["'directionId' is required: the id of a direction, a whole number above 0."]);
        problem["errors"]!["rows[2].ownerId"]![0]!.GetValue<string>().Should().Be("No owner with id 888888 exists.");
        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReportsMissingReferencesInCsvRowsAlongsideUnreadableValues()
    {
        var owner = await NewOwnerAsync();
        var csv = $"directionId,ownerId,title,deadline\r\n77,{owner},Missing direction,2026-12-31\r\n1,{owner},Bad date,31/12/2026\r\n";

        var problem = await (await PostAsync(csv, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("rows[0].directionId", "rows[1].deadline");
    }

    [Fact]
    public async Task RejectsStateFieldsInRowsAsASingleCreateDoes()
    {
        var owner = await NewOwnerAsync();
        var before = await CountAsync();
        var csv = $"directionId,ownerId,title,deadline,status,progress\r\n1,{owner},Fresh,2026-12-31,planned,0\r\n1,{owner},Already done,2026-12-31,done,100\r\n";

        var problem = await (await PostAsync(csv, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("rows[1].status", "rows[1].progress");
        problem["errors"]!["rows[1].status"]![0]!.GetValue<string>().Should().Contain("/check-ins");
        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ImportsCsvWithBomCrlfAndQuotedCommasQuotesAndLineBreaks()
    {
        var owner = await NewOwnerAsync();
        var csv = "\uFEFFtitle,deadline,directionId,ownerId,taskForceId,description,startDate\r\n"
            + $"\"Center in Almaty, Kazakhstan\",2026-12-31,2,{owner},,\"Partners said \"\"yes\"\"\r\nin May\",2026-01-15\r\n"
            + $"Summer school,2026-08-31,1,{owner},,,\r\n";

        var body = await (await PostAsync(csv, "text/csv")).ShouldBe(HttpStatusCode.Created);

        body["created"]!.GetValue<int>().Should().Be(2);
        var first = await (await _client.GetAsync($"/api/v1/initiatives/{body["ids"]![0]}")).ShouldBe(HttpStatusCode.OK);
        first["title"]!.GetValue<string>().Should().Be("Center in Almaty, Kazakhstan");
        first["description"]!.GetValue<string>().Should().Be("Partners said \"yes\"\r\nin May");
        first["startDate"]!.GetValue<string>().Should().Be("2026-01-15");
        first["taskForceId"].Should().BeNull();
        var second = await (await _client.GetAsync($"/api/v1/initiatives/{body["ids"]![1]}")).ShouldBe(HttpStatusCode.OK);
        second["description"].Should().BeNull("an empty cell is an absent field");
    }

    [Fact]
    public async Task ImportsCsvWithLfLineEndsAndNoBom()
    {
        var owner = await NewOwnerAsync();
        var csv = $"directionId,ownerId,title,deadline\n3,{owner},Plain LF,2026-10-01\n";

        var body = await (await PostAsync(csv, "text/csv; charset=utf-8")).ShouldBe(HttpStatusCode.Created);

        body["created"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task RejectsTheWholeCsvImportKeyingValueErrorsByRowAndField()
    {
        var owner = await NewOwnerAsync();
        var before = await CountAsync();
        var csv = "directionId,ownerId,title,deadline\r\n"
            + $"2,{owner},Good row,2026-12-31\r\n"
            + $"2,{owner},Bad date,2026-02-30\r\n"
            + "two,1.5,Bad ids,2026-12-31\r\n"
            + $"2,{owner},Too many,2026-12-31,extra\r\n"
            + $"2,{owner},,2026-12-31\r\n";

        var problem = await (await PostAsync(csv, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest,
            "rows[1].deadline", "rows[2].directionId", "rows[2].ownerId", "rows[3]", "rows[4].title");

        problem["errors"]!.AsObject().Count.Should().Be(5);
        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task TrimsTheTextOfEveryRowAsASingleCreateDoes()
    {
        var owner = await NewOwnerAsync();
        var json = $$"""
            [{"directionId": 2, "ownerId": {{owner}}, "title": "  Padded JSON title\t", "description": "  ", "deadline": "2026-12-31"}]
            """;
        var csv = "directionId,ownerId,title,description,deadline\r\n"
            + $"2,{owner},  Padded CSV title ,\"\r\n Two lines\r\nof description \",2026-12-31\r\n"
            + $"2,{owner},Blank description,   ,2026-12-31\r\n";

        var fromJson = await (await PostAsync(json, "application/json")).ShouldBe(HttpStatusCode.Created);
        var fromCsv = await (await PostAsync(csv, "text/csv")).ShouldBe(HttpStatusCode.Created);

        var jsonRow = await (await _client.GetAsync($"/api/v1/initiatives/{fromJson["ids"]![0]}")).ShouldBe(HttpStatusCode.OK);
        jsonRow["title"]!.GetValue<string>().Should().Be("Padded JSON title");
        jsonRow["description"].Should().BeNull("blank optional text is stored as null");
        var csvRow = await (await _client.GetAsync($"/api/v1/initiatives/{fromCsv["ids"]![0]}")).ShouldBe(HttpStatusCode.OK);
        csvRow["title"]!.GetValue<string>().Should().Be("Padded CSV title");
        csvRow["description"]!.GetValue<string>().Should().Be("Two lines\r\nof description");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives WHERE id = @id AND description IS NULL", new { id = fromCsv["ids"]![1]!.GetValue<long>() }))
            .Should().Be(1);
    }

    [Fact]
    public async Task RefusesControlCharactersInJsonRowsKeyedByRowAndFieldAndWritesNothing()
    {
        var owner = await NewOwnerAsync();
        var before = await factory.SnapshotAsync();
        var json = $$"""
            [
              {"directionId": 2, "ownerId": {{owner}}, "title": "Fine", "description": "Two\nlines are fine here", "deadline": "2026-12-31"},
              {"directionId": 2, "ownerId": {{owner}}, "title": "NUL\u0000inside", "deadline": "2026-12-31"},
              {"directionId": 2, "ownerId": {{owner}}, "title": "Fine", "description": "A bell\u0007", "deadline": "2026-12-31"},
              {"directionId": 2, "ownerId": {{owner}}, "title": "Two\nlines", "deadline": "2026-12-31"}
            ]
            """;

        var problem = await (await PostAsync(json, "application/json")).ShouldBeProblem(HttpStatusCode.BadRequest,
            "rows[1].title", "rows[2].description", "rows[3].title");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["rows[1].title", "rows[2].description", "rows[3].title"]);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RefusesALoneSurrogateInAJsonRowKeyedByRowAndFieldAndWritesNothing()
    {
        // Escaped text that is not well-formed Unicode is read into the row; it fails only when the field is read.
        var owner = await NewOwnerAsync();
        var before = await factory.SnapshotAsync();
        var json = $$"""
            [
              {"directionId": 2, "ownerId": {{owner}}, "title": "Fine", "deadline": "2026-12-31"},
              {"directionId": 2, "ownerId": {{owner}}, "title": "x\ud800", "description": "y\udc00z", "deadline": "2026-12-31"}
            ]
            """;

        var problem = await (await PostAsync(json, "application/json")).ShouldBeProblem(HttpStatusCode.BadRequest, "rows[1].title", "rows[1].description");

        problem["errors"]!["rows[1].title"]![0]!.GetValue<string>().Should().Be("'title' is not well-formed Unicode text.");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["rows[1].title", "rows[1].description"]);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RefusesControlCharactersInCsvRowsKeyedByRowAndFieldAndWritesNothing()
    {
        var owner = await NewOwnerAsync();
        var before = await factory.SnapshotAsync();
        var csv = "directionId,ownerId,title,description,deadline\r\n"
            + $"2,{owner},Fine,\"Quoted\r\nlines are fine here\",2026-12-31\r\n"
            + $"2,{owner},\"A title\r\non two lines\",,2026-12-31\r\n"
            + $"2,{owner},Tab\tinside,,2026-12-31\r\n"
            + $"2,{owner},Fine,Escape\u001b[31m,2026-12-31\r\n";

        var problem = await (await PostAsync(csv, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest,
            "rows[1].title", "rows[2].title", "rows[3].description");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["rows[1].title", "rows[2].title", "rows[3].description"]);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("directionId,ownerId,title,deadline,budget\r\n", "Unknown column 'budget'")]
    [InlineData("directionId,ownerId,title\r\n", "Column 'deadline' is missing")]
    [InlineData("directionId,ownerId,title,deadline,Title\r\n", "Column 'title' appears more than once")]
    [InlineData("", "The CSV is empty")]
    public async Task RejectsABadHeaderNamingIt(string header, string message)
    {
        var problem = await (await PostAsync(header + "1,1,x,2026-12-31\r\n", "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "header");

        if (header.Length > 0)
        {
            problem["errors"]!["header"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Contain(m => m.StartsWith(message, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RejectsAnUnclosedQuoteNamingTheRow()
    {
        var owner = await NewOwnerAsync();
        var csv = $"directionId,ownerId,title,deadline\r\n2,{owner},Fine,2026-12-31\r\n2,{owner},\"Never closed,2026-12-31\r\n";

        await (await PostAsync(csv, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "rows[1]");
    }

    [Fact]
    public async Task RejectsMoreThan5000RowsAndWritesNothing()
    {
        var owner = await NewOwnerAsync();
        var before = await CountAsync();
        var csv = new StringBuilder("directionId,ownerId,title,deadline\r\n");
        for (var i = 0; i < 5_001; i++)
        {
            csv.Append($"1,{owner},Row {i},2026-12-31\r\n");
        }

        var problem = await (await PostAsync(csv.ToString(), "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "rows");

        problem["errors"]!["rows"]![0]!.GetValue<string>().Should().Contain("5000").And.Contain("5001");
        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task CountsEveryRowOfAnImportFarOverTheLimitWithoutReadingThem()
    {
        var csv = new StringBuilder("directionId,ownerId,title,deadline\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append("1,1,,not a date\r\n");
        }

        var problem = await (await PostAsync(csv.ToString(), "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "rows");

        problem["errors"]!.AsObject().Should().ContainSingle();
        problem["errors"]!["rows"]![0]!.GetValue<string>().Should().Contain("5000").And.Contain("20000");
    }

    [Fact]
    public async Task RefusesAHeaderOfTooManyColumnsAsOneError()
    {
        var header = "directionId,ownerId,title,deadline" + new string(',', 1_000_000) + "\r\n";

        var problem = await (await PostAsync(header + "1,1,x,2026-12-31\r\n", "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "header");

        problem["errors"]!["header"]!.AsArray().Select(m => m!.GetValue<string>()).Should().ContainSingle()
            .Which.Should().StartWith("The header has 1000004 columns; an import takes at most 32.");
    }

    [Fact]
    public async Task ListsTheFirstTenProblemsOfAHeaderAndCountsTheRest()
    {
        var header = "directionId,ownerId,title,deadline," + string.Join(",", Enumerable.Range(1, 25).Select(i => $"extra{i}")) + "\r\n";

        var problem = await (await PostAsync(header + "1,1,x,2026-12-31\r\n", "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "header");

        var messages = problem["errors"]!["header"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        messages.Should().HaveCount(11);
        messages[0].Should().StartWith("Unknown column 'extra1'.");
        messages[^1].Should().Be("15 more problems with the header are not listed.");
    }

    [Fact]
    public async Task QuotesAnUnknownColumnOfAHugeNameShortened()
    {
        var header = "directionId,ownerId,title,deadline," + new string('n', 100_000) + "\r\n";

        var problem = await (await PostAsync(header, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "header");

        problem["errors"]!["header"]![0]!.GetValue<string>().Should().StartWith($"Unknown column '{new string('n', 64)}…'.");
    }

    [Fact]
    public async Task RefusesAGiganticCellNamingItsRow()
    {
        var owner = await NewOwnerAsync();
        var csv = $"directionId,ownerId,title,description,deadline\r\n2,{owner},Fine,,2026-12-31\r\n"
            + $"2,{owner},Huge,\"{new string('x', 3 * 1024 * 1024)}\",2026-12-31\r\n";

        var problem = await (await PostAsync(csv, "text/csv")).ShouldBeProblem(HttpStatusCode.BadRequest, "rows[1]");

        problem["errors"]!["rows[1]"]![0]!.GetValue<string>().Should().StartWith("Line 3: A record runs past");
    }

    [Fact]
    public async Task Imports5000RowsInOneTransaction()
    {
        var owner = await NewOwnerAsync();
        var rows = new JsonArray();
        for (var i = 0; i < 5_000; i++)
        {
            rows.Add(new JsonObject { ["directionId"] = 1, ["ownerId"] = owner, ["title"] = $"Bulk {i}", ["deadline"] = "2026-12-31" });
        }

        var body = await (await PostAsync(rows.ToJsonString(), "application/json")).ShouldBe(HttpStatusCode.Created);

        body["created"]!.GetValue<int>().Should().Be(5_000);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives WHERE owner_id = @owner", new { owner })).Should().Be(5_000);
    }

    [Theory]
    [InlineData("[]", "application/json", "rows")]
    [InlineData("{\"directionId\": 1}", "application/json", "body")]
    [InlineData("[{\"directionId\": 1,", "application/json", "body")]
    public async Task RejectsABodyThatIsNotAnArrayOfRows(string body, string mediaType, string key)
    {
        await (await PostAsync(body, mediaType)).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    [Fact]
    public async Task RejectsOtherMediaTypesNamingBothItReads()
    {
        var problem = await (await PostAsync("<initiatives/>", "application/xml")).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);

        problem["detail"]!.GetValue<string>().Should().Be("Send the request body as application/json or text/csv.");
    }

    [Fact]
    public async Task ARetriedImportWithTheSameIdempotencyKeyCreatesNothingMore()
    {
        var owner = await NewOwnerAsync();
        var csv = $"directionId,ownerId,title,deadline\r\n2,{owner},Retried import,2026-12-31\r\n";
        var key = Guid.NewGuid().ToString();

        var first = await (await PostAsync(csv, "text/csv", key)).ShouldBe(HttpStatusCode.Created);
        var retry = await PostAsync(csv, "text/csv", key);

        (await retry.ShouldBe(HttpStatusCode.Created)).ToJsonString().Should().Be(first.ToJsonString());
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives WHERE title = 'Retried import'")).Should().Be(1);
    }

    private Task<long> CountAsync() => factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives");

    private async Task<long> NewOwnerAsync() =>
        (await _client.CreateAsync("/api/v1/owners", new { name = "Import Owner" }))["id"]!.GetValue<long>();

    private Task<HttpResponseMessage> PostAsync(string body, string mediaType, string? idempotencyKey = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return _client.SendAsync(request);
    }
}
