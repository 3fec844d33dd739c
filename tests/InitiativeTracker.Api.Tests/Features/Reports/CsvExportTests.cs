using System.Net;
using System.Text;
using System.Text.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Reports;

/// <summary>The CSV form of a row report: spreadsheet safety, and every row of a report larger than one write.</summary>
public sealed class CsvExportTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task PrefixesTextThatASpreadsheetWouldRunAsAFormula()
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = "=HYPERLINK(\"http://x.example\",\"click\")", unit = "@SUM(A1)" });
        var id = await _client.IdOfAsync("/api/v1/initiatives",
            new { directionId = 1, ownerId = owner, title = "+1+2, then -3", deadline = "2026-03-01" });

        var rows = await OverdueCsvAsync($"ownerId={owner}");

        rows.Should().HaveCount(2);
        var row = Row(rows, id);
        row[Column(rows, "title")].Should().Be("'+1+2, then -3");
        row[Column(rows, "ownerName")].Should().Be("'=HYPERLINK(\"http://x.example\",\"click\")");
        row[Column(rows, "deadline")].Should().Be("2026-03-01", "dates and numbers are never prefixed");
        row[Column(rows, "daysOverdue")].Should().Be("9");
    }

    [Fact]
    public async Task WritesEveryRowOfAReportLargerThanOneChunkInReportOrder()
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = "Bulk Owner" });
        // 600 rows of about 300 characters: several of the writer's 32 KiB chunks.
        var padding = new string('x', 200);
        var rows = Enumerable.Range(0, 600).Select(i => new
        {
            directionId = 1 + (i % 3),
            ownerId = owner,
            title = $"Row {i:D3}, \"quoted\", {padding}",
            deadline = new DateOnly(2026, 1, 1).AddDays(i % 60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        await (await _client.PostAsync("/api/v1/initiatives/import",
            new StringContent(JsonSerializer.Serialize(rows), Encoding.UTF8, "application/json"))).ShouldBe(HttpStatusCode.Created);

        var csv = await OverdueCsvAsync($"ownerId={owner}");

        csv.Should().HaveCount(601, "a header and every row");
        var deadlines = csv.Skip(1).Select(r => r[Column(csv, "deadline")]).ToList();
        deadlines.Should().BeInAscendingOrder(StringComparer.Ordinal);
        csv.Skip(1).Select(r => r[Column(csv, "title")]).Should().OnlyContain(t => t.EndsWith(", \"quoted\", " + padding, StringComparison.Ordinal))
            .And.OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData(null, "", "application/json")]
    [InlineData("*/*", "", "application/json")]
    [InlineData("text/csv", "", "text/csv")]
    [InlineData("text/csv; charset=utf-8", "", "text/csv")]
    [InlineData("text/*", "", "text/csv")]
    [InlineData("application/json, text/csv;q=0", "", "application/json")]
    [InlineData("text/csv;q=0", "", "application/json")]
    [InlineData("application/json;q=1, text/csv;q=0.1", "", "application/json")]
    [InlineData("text/csv;q=0.9, application/json;q=0.5", "", "text/csv")]
    [InlineData("text/csv;q=0.5, */*;q=0.9", "", "application/json")]
    [InlineData("text/csv, application/json", "", "application/json")]
    [InlineData("application/xml, text/csv;q=0.2", "", "text/csv")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", "application/json")]
    [InlineData("text/csv", "format=json", "application/json")]
    [InlineData("application/json", "format=csv", "text/csv")]
    public async Task NegotiatesJsonOrCsvByTheQualityOfEachInAccept(string? accept, string query, string expected)
    {
        foreach (var report in new[] { "overdue", "upcoming", "progress", "execution" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/{report}?{query}");
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            var response = await _client.SendAsync(request);

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be(expected, "{0} with Accept: {1}", report, accept);
            response.Headers.Vary.Should().Contain("Accept", "the answer to {0} depends on Accept, JSON and CSV alike", report);
        }
    }

    private async Task<List<string[]>> OverdueCsvAsync(string query)
    {
        var response = await _client.GetAsync($"/api/v1/reports/overdue?format=csv&{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.Should().EndWith("\r\n").And.NotMatchRegex("[^\r]\n");
        return CsvText.Parse(text);
    }

    private static int Column(List<string[]> rows, string name) => Array.IndexOf(rows[0], name);

    private static string[] Row(List<string[]> rows, long id) =>
        rows.Single(r => r[0] == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
