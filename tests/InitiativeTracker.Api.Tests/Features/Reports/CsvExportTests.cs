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
