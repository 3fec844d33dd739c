using System.Globalization;
using InitiativeTracker.Api.Features.Initiatives;
using HttpCsv = InitiativeTracker.Api.Features.Reports.Csv;

namespace InitiativeTracker.Api.Tests.Infrastructure.Csv;

public sealed class CsvWriterTests
{
    public sealed record Sample(string? Text, DateOnly Day, DateTime At, InitiativeStatus Status, bool Flag, double Ratio, int? Missing);

    [Fact]
    public async Task WritesTheHeaderAloneWhenThereAreNoRows()
    {
        (await WriteAsync([])).Should().Be("text,day,at,status,flag,ratio,missing\r\n");
    }

    [Fact]
    public async Task QuotesOnlyTextThatNeedsItAndFormatsValuesInvariantly()
    {
        var at = new DateTimeOffset(2026, 3, 14, 5, 0, 0, TimeSpan.FromHours(3)).UtcDateTime;
        var text = await WriteAsync(
        [
            new("Plain", new DateOnly(2026, 3, 1), at, InitiativeStatus.InProgress, true, 0.25, null),
            new("Dual degree, \"energy\"\r\nphase 1", new DateOnly(2026, 12, 31), at.AddTicks(5), InitiativeStatus.Done, false, 1, 7),
            new(null, new DateOnly(2026, 1, 2), at, InitiativeStatus.Planned, false, 1.5, null),
        ]);

        text.Should().Be(
            "text,day,at,status,flag,ratio,missing\r\n"
            + "Plain,2026-03-01,2026-03-14T02:00:00Z,in_progress,true,0.25,\r\n"
            + "\"Dual degree, \"\"energy\"\"\r\nphase 1\",2026-12-31,2026-03-14T02:00:00.0000005Z,done,false,1,7\r\n"
            + ",2026-01-02,2026-03-14T02:00:00Z,planned,false,1.5,\r\n");
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+1", "'+1")]
    [InlineData("-1, or so", "\"'-1, or so\"")]
    [InlineData("@x", "'@x")]
    [InlineData("a=b", "a=b")]
    public async Task PrefixesTextThatASpreadsheetWouldRunAsAFormula(string value, string written)
    {
        var text = await WriteAsync([new(value, new DateOnly(2026, 1, 1), DateTime.UnixEpoch, InitiativeStatus.Planned, false, 0, null)]);

        text.Split("\r\n")[1].Should().StartWith(written + ",");
    }

    private static async Task<string> WriteAsync(Sample[] rows)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        await HttpCsv.WriteAsync(writer, rows.ToAsyncEnumerable(), CancellationToken.None);
        return writer.ToString();
    }
}
