using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>The sort parameter's grammar: comma-separated known fields, each optionally prefixed by '-' or '+'.</summary>
public sealed class SortFieldsTests
{
    private static readonly SortFields s_fields = new(new Dictionary<string, string>
    {
        ["deadline"] = "deadline",
        ["title"] = "title COLLATE NOCASE",
    }, "deadline ASC, id ASC");

    [Theory]
    [InlineData(null)]
    [InlineData("deadline")]
    [InlineData("-deadline")]
    [InlineData("+deadline")]
    [InlineData("deadline,-title")]
    [InlineData(" deadline , -title ")]
    public void AcceptsKnownFieldsWithOptionalDirection(string? sort) => s_fields.IsValid(sort).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData(",")]
    [InlineData("deadline,")]
    [InlineData("deadline,,title")]
    [InlineData("--deadline")]
    [InlineData("- deadline")]
    [InlineData("Deadline")]
    [InlineData("id")]
    [InlineData("deadline desc")]
    [InlineData("title;DROP TABLE initiatives")]
    public void RejectsAnythingElse(string sort) => s_fields.IsValid(sort).Should().BeFalse();

    [Fact]
    public void RejectsASortLongerThanTwoHundredCharacters()
    {
        var sort = string.Join(',', Enumerable.Repeat("deadline", 23));

        sort.Length.Should().BeGreaterThan(200);
        s_fields.IsValid(sort).Should().BeFalse();
    }

    [Theory]
    [InlineData("deadline", "deadline ASC, id ASC")]
    [InlineData("+deadline", "deadline ASC, id ASC")]
    [InlineData("-deadline,title", "deadline DESC, title COLLATE NOCASE ASC, id ASC")]
    [InlineData(" -title ", "title COLLATE NOCASE DESC, id ASC")]
    public void OrdersByTheMappedColumnsThenId(string sort, string orderBy) => s_fields.OrderBy(sort).Should().Be(orderBy);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void OrdersByTheDefaultWithoutASort(string? sort) => s_fields.OrderBy(sort).Should().Be("deadline ASC, id ASC");
}
