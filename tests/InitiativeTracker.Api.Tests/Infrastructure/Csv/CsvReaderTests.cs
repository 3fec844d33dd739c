using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Tests.Infrastructure.Csv;

public sealed class CsvReaderTests
{
    [Fact]
    public void SplitsFieldsOnCommasAndRecordsOnCrlfOrLf()
    {
        CsvReader.Read("a,b,c\r\n1,2,3\n4,5,6").Should().BeEquivalentTo(
            new[] { new[] { "a", "b", "c" }, ["1", "2", "3"], ["4", "5", "6"] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks()
    {
        var records = CsvReader.Read("title,note\r\n\"Almaty, Kazakhstan\",\"He said \"\"go\"\"\r\nthen left\"\r\n").ToList();

        records.Should().HaveCount(2);
        records[1].Should().Equal("Almaty, Kazakhstan", "He said \"go\"\r\nthen left");
    }

    [Fact]
    public void SkipsALeadingByteOrderMarkAndBlankLines()
    {
        CsvReader.Read("\uFEFFa,b\r\n\r\n1,2\r\n\r\n").Should().BeEquivalentTo(
            new[] { new[] { "a", "b" }, ["1", "2"] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void KeepsEmptyFields()
    {
        CsvReader.Read("a,,\"\"\n").Single().Should().Equal("a", "", "");
    }

    [Fact]
    public void EndsARecordAtALoneCarriageReturn()
    {
        CsvReader.Read("a,b\r1,2").Should().HaveCount(2);
    }

    [Fact]
    public void RejectsAQuotedFieldThatIsNotClosedNamingItsLine()
    {
        var read = () => CsvReader.Read("a,b\n1,2\n3,\"open\n").ToList();

        read.Should().Throw<CsvFormatException>().Which.Line.Should().Be(3);
    }

    [Fact]
    public void RejectsTextAfterAClosingQuote()
    {
        var read = () => CsvReader.Read("\"closed\"then,b").ToList();

        read.Should().Throw<CsvFormatException>();
    }
}
