using System.Text;
using InitiativeTracker.Api.Features.Initiatives;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

public sealed class CsvReaderTests
{
    [Fact]
    public async Task SplitsFieldsOnCommasAndRecordsOnCrlfOrLf()
    {
        (await ReadAsync("a,b,c\r\n1,2,3\n4,5,6")).Should().BeEquivalentTo(
            new[] { new[] { "a", "b", "c" }, ["1", "2", "3"], ["4", "5", "6"] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks()
    {
        var records = await ReadAsync("title,note\r\n\"Almaty, Kazakhstan\",\"He said \"\"go\"\"\r\nthen left\"\r\n");

        records.Should().HaveCount(2);
        records[1].Should().Equal("Almaty, Kazakhstan", "He said \"go\"\r\nthen left");
    }

    [Fact]
    public async Task SkipsALeadingByteOrderMarkAndBlankLines()
    {
        (await ReadAsync("\uFEFFa,b\r\n\r\n1,2\r\n\r\n")).Should().BeEquivalentTo(
            new[] { new[] { "a", "b" }, ["1", "2"] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task SkipsBlankLinesBeforeTheFirstRecord()
    {
        (await ReadAsync("\r\n\n\"\"\r\na,b\r\n")).Should().BeEquivalentTo(new[] { new[] { "a", "b" } });
    }

    [Fact]
    public async Task KeepsEmptyFields()
    {
        (await ReadAsync("a,,\"\"\n")).Single().Should().Equal("a", "", "");
    }

    [Fact]
    public async Task EndsARecordAtALoneCarriageReturn()
    {
        (await ReadAsync("a,b\r1,2")).Should().HaveCount(2);
    }

    [Fact]
    public async Task RejectsAQuotedFieldThatIsNotClosedNamingItsLine()
    {
        var read = () => ReadAsync("a,b\n1,2\n3,\"open\n");

        (await read.Should().ThrowAsync<CsvFormatException>()).Which.Line.Should().Be(3);
    }

    [Fact]
    public async Task NamesTheLineARecordStartsOnAfterQuotedLineBreaks()
    {
        var read = () => ReadAsync("a,b\n\"two\nlines\",2\n\n3,\"open\n");

        (await read.Should().ThrowAsync<CsvFormatException>()).Which.Line.Should().Be(5);
    }

    [Theory]
    [InlineData("\"closed\"then,b")]
    [InlineData("\"a\"b\",c")]
    [InlineData("a,\"b\" \r\n")]
    public async Task RejectsTextAfterAClosingQuote(string text)
    {
        var read = () => ReadAsync(text);

        await read.Should().ThrowAsync<CsvFormatException>().WithMessage("*closing quote*");
    }

    [Fact]
    public async Task ReadsARecordOfALongField()
    {
        var description = new string('x', 200_000);

        (await ReadAsync($"a,b\r\n1,\"{description}\"\r\n"))[1][1].Should().Be(description);
    }

    [Fact]
    public async Task RefusesARecordLongerThanTheLimitNamingTheLineItStartsOn()
    {
        var read = () => ReadAsync("a,b\r\n1,2\r\n" + new string(',', 2 * CsvReader.MaxRecordLength) + "\r\n3,4\r\n");

        (await read.Should().ThrowAsync<CsvFormatException>()).Which.Line.Should().Be(3);
    }

    [Fact]
    public async Task RefusesAQuotedFieldThatRunsPastTheLimitOverManyShortLines()
    {
        // One record: fields of a quoted line break, so no line is long.
        var read = () => ReadAsync("a\r\n" + string.Concat(Enumerable.Repeat("\"\r\n\",", CsvReader.MaxRecordLength / 2)));

        (await read.Should().ThrowAsync<CsvFormatException>()).Which.Line.Should().Be(2);
    }

    [Fact]
    public async Task RefusesAFirstRecordLongerThanTheLimit()
    {
        var read = () => ReadAsync(new string(',', 2 * CsvReader.MaxRecordLength));

        (await read.Should().ThrowAsync<CsvFormatException>()).Which.Line.Should().Be(1);
    }

    /// <summary>Every record's fields, read as the import reads a body: UTF-8 bytes through a StreamReader.</summary>
    private static async Task<List<string[]>> ReadAsync(string text)
    {
        using var csv = await CsvReader.OpenAsync(new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), Encoding.UTF8, true), CancellationToken.None);
        List<string[]> records = [];
        while (await csv.MoveNextAsync(CancellationToken.None))
        {
            records.Add([.. Enumerable.Range(0, csv.FieldCount).Select(csv.Field)]);
        }

        return records;
    }
}
