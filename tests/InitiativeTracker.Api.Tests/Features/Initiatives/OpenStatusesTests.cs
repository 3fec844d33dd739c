using InitiativeTracker.Api.Features.Initiatives;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

/// <summary>The one list of open statuses, and the SQL spelled from it, as the queries and the CHECK constraint spell them.</summary>
public sealed class OpenStatusesTests
{
    [Fact]
    public void SpellsTheListForSqlAsTheDatabaseStoresStatuses() =>
        OpenStatuses.Sql.Should().Be("('planned', 'in_progress', 'blocked')");

    [Theory]
    [InlineData(InitiativeStatus.Planned, true)]
    [InlineData(InitiativeStatus.InProgress, true)]
    [InlineData(InitiativeStatus.Blocked, true)]
    [InlineData(InitiativeStatus.Done, false)]
    [InlineData(InitiativeStatus.Cancelled, false)]
    public void OnlyPlannedInProgressAndBlockedAreOpen(InitiativeStatus status, bool open) =>
        status.IsOpen().Should().Be(open);
}
