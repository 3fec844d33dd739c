using InitiativeTracker.Client.Models;
using InitiativeTracker.Client.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Xunit.Sdk;
using static InitiativeTracker.Client.Tests.Infrastructure.Steps;

namespace InitiativeTracker.Client.Tests;

/// <summary>
/// A task-force lead's week through the client Kiota generates from openapi.yaml, against the service
/// itself: the generated code, unpatched, must do all of it. Nothing here reaches past the client to
/// raw HTTP, so a gap in the document is a failure here.
/// </summary>
public sealed class LeadWorkflowTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task LeadRunsTheirInitiativesThroughTheGeneratedClient()
    {
        var admin = factory.Admin();

        // As admin: the owner, and a key for them that expires in three days (a DateTimeOffset, which
        // Kiota writes with an offset: 2026-03-13T02:00:00.0000000+00:00).
        var owner = await Step("create the owner", () => admin.Api.V1.Owners.PostAsync(
            new CreateOwnerCommand { Name = "Li Na", Email = "li.na@example.edu", Unit = "School of Mechanical Engineering" }));
        var expiresAt = TrackerFactory.Start.AddDays(3);
        var key = await Step("create the lead's expiring key", () => admin.Api.V1.ApiKeys.PostAsync(
            new CreateApiKeyCommand { Name = "li-na-scripts", Role = ApiKeyRole.Lead, OwnerId = owner.Id, ExpiresAt = expiresAt }));
        key.Role.Should().Be(ApiKeyRole.Lead);
        key.OwnerId.Should().Be(owner.Id);
        key.ExpiresAt.Should().Be(expiresAt);
        key.Key.Should().NotBeNullOrEmpty();

        var lead = factory.Client(key.Key!);

        // Three initiatives under the seeded directions.
        var directions = await Step("list the directions", () => lead.Api.V1.Directions.GetAsync());
        directions.Items.Should().Contain(d => d.Number == 1).And.Contain(d => d.Number == 2).And.Contain(d => d.Number == 3);
        long DirectionId(int number) => directions.Items!.Single(d => d.Number == number).Id!.Value;

        var created = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var almaty = await Step("create the Almaty initiative", () => lead.Api.V1.Initiatives.PostAsync(
            new CreateInitiativeCommand
            {
                DirectionId = DirectionId(2),
                OwnerId = owner.Id,
                Title = "Overseas innovation center in Almaty",
                Deadline = new Date(2026, 3, 12),
            },
            config => config.Options.Add(created)));
        almaty.Status.Should().Be(InitiativeStatus.Planned);
        almaty.Progress.Should().Be(0);
        almaty.Health.Should().Be(Models.Health.On_track);
        almaty.Deadline.Should().Be(new Date(2026, 3, 12));
        almaty.OriginalDeadline.Should().Be(new Date(2026, 3, 12));
        ETag(created).Should().Be($"\"{almaty.Version}\"");

        var programme = await Step("create the master's programme", () => lead.Api.V1.Initiatives.PostAsync(new CreateInitiativeCommand
        {
            DirectionId = DirectionId(1),
            OwnerId = owner.Id,
            Title = "Joint master's programme with Kazakh universities",
            Deadline = new Date(2026, 3, 11),
        }));
        var office = await Step("create the transfer office", () => lead.Api.V1.Initiatives.PostAsync(new CreateInitiativeCommand
        {
            DirectionId = DirectionId(3),
            OwnerId = owner.Id,
            Title = "Technology transfer office in Tashkent",
            Deadline = new Date(2026, 3, 15),
        }));

        // Check-ins: one at risk, one off track, one started and done.
        var checkIn = await Step("check in on Almaty", () => lead.Api.V1.Initiatives[almaty.Id!.Value].CheckIns.PostAsync(
            new CreateCheckInCommand { Progress = 30, Status = InitiativeStatus.In_progress, Health = Models.Health.At_risk, Note = "Partner visit moved." }));
        checkIn.Progress.Should().Be(30);
        checkIn.Status.Should().Be(InitiativeStatus.In_progress);
        checkIn.PreviousStatus.Should().Be(InitiativeStatus.Planned);
        checkIn.Health.Should().Be(Models.Health.At_risk);
        checkIn.ReportedBy.Should().Be("li-na-scripts");
        checkIn.ReportedAt.Should().Be(TrackerFactory.Start);

        await Step("check in on the programme", () => lead.Api.V1.Initiatives[programme.Id!.Value].CheckIns.PostAsync(
            new CreateCheckInCommand { Progress = 10, Status = InitiativeStatus.In_progress, Health = Models.Health.Off_track }));
        await Step("start the office", () => lead.Api.V1.Initiatives[office.Id!.Value].CheckIns.PostAsync(
            new CreateCheckInCommand { Progress = 50, Status = InitiativeStatus.In_progress, Health = Models.Health.On_track }));
        var done = await Step("finish the office", () => lead.Api.V1.Initiatives[office.Id!.Value].CheckIns.PostAsync(
            new CreateCheckInCommand { Progress = 90, Status = InitiativeStatus.Done, Health = Models.Health.On_track }));
        done.Progress.Should().Be(100, "done sets progress to 100 whatever was sent");

        // Move Almaty's deadline.
        var moved = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var afterMove = await Step("move Almaty's deadline", () => lead.Api.V1.Initiatives[almaty.Id!.Value].Deadline.PutAsync(
            new MoveDeadlineCommand { Deadline = new Date(2026, 3, 20), Reason = "The partner university moved the visit." },
            config => config.Options.Add(moved)));
        afterMove.Deadline.Should().Be(new Date(2026, 3, 20));
        afterMove.OriginalDeadline.Should().Be(new Date(2026, 3, 12));
        afterMove.DeadlineChanges.Should().Be(1);
        afterMove.Status.Should().Be(InitiativeStatus.In_progress);
        afterMove.Progress.Should().Be(30);
        ETag(moved).Should().Be($"\"{afterMove.Version}\"");
        var history = await Step("read the deadline history", () => lead.Api.V1.Initiatives[almaty.Id!.Value].DeadlineChanges.GetAsync());
        history.Items.Should().ContainSingle().Which.Reason.Should().Be("The partner university moved the visit.");

        // PUT and PATCH with If-Match: the ETag of the last read, then the stale one.
        var read = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var current = await Step("read Almaty", () => lead.Api.V1.Initiatives[almaty.Id!.Value].GetAsync(config => config.Options.Add(read)));
        var readTag = ETag(read);
        readTag.Should().Be($"\"{current.Version}\"");

        var replaced = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var afterPut = await Step("PUT Almaty with If-Match", () => lead.Api.V1.Initiatives[almaty.Id!.Value].PutAsync(
            new UpdateInitiativeCommand
            {
                DirectionId = current.DirectionId,
                OwnerId = current.OwnerId,
                Title = current.Title,
                Description = "With three partner universities in Almaty.",
            },
            config =>
            {
                config.Headers.Add("If-Match", readTag);
                config.Options.Add(replaced);
            }));
        afterPut.Description.Should().Be("With three partner universities in Almaty.");
        afterPut.Version.Should().BeGreaterThan(current.Version!.Value);
        var putTag = ETag(replaced);
        putTag.Should().Be($"\"{afterPut.Version}\"");

        var afterPatch = await Step("PATCH Almaty with If-Match", () => lead.Api.V1.Initiatives[almaty.Id!.Value].PatchAsync(
            new UpdateInitiativeCommandMergePatch { Title = "Overseas innovation center in Almaty (phase 1)" },
            config => config.Headers.Add("If-Match", putTag)));
        afterPatch.Title.Should().Be("Overseas innovation center in Almaty (phase 1)");
        afterPatch.Description.Should().Be("With three partner universities in Almaty.", "a merge patch leaves the fields it does not name");
        afterPatch.Version.Should().BeGreaterThan(afterPut.Version!.Value);

        var stale = await Assert.ThrowsAsync<ProblemDetails>(() => lead.Api.V1.Initiatives[almaty.Id!.Value].PatchAsync(
            new UpdateInitiativeCommandMergePatch { Title = "A title from a stale read" },
            config => config.Headers.Add("If-Match", putTag)));
        stale.ResponseStatusCode.Should().Be(412);
        stale.Type.Should().Be(ProblemDetails_type.HttpsInitiativeTrackerExampleProblemsPreconditionFailed);

        // A list page, filtered by two statuses (both sent: either alone would match fewer).
        var started = await Step("list the started initiatives", () => lead.Api.V1.Initiatives.GetAsync(config =>
        {
            config.QueryParameters.OwnerId = owner.Id;
            config.QueryParameters.Status = [InitiativeStatus.In_progress, InitiativeStatus.Done];
            config.QueryParameters.Sort = "deadline";
            config.QueryParameters.PageSize = 2;
        }));
        started.TotalCount.Should().Be(3);
        started.PageSize.Should().Be(2);
        started.Items!.Select(i => i.Title).Should().Equal(
            "Joint master's programme with Kazakh universities", "Technology transfer office in Tashkent");

        // Each report, as of two days on (a future asOf projects today's state onto that date).
        var asOf = new Date(2026, 3, 12);
        var overdue = await Step("read the overdue report", () => lead.Api.V1.Reports.Overdue.GetAsync(config =>
        {
            config.QueryParameters.AsOf = asOf;
            config.QueryParameters.OwnerId = owner.Id;
        }));
        overdue.AsOf.Should().Be(asOf);
        overdue.TotalCount.Should().Be(1);
        var late = overdue.Items.Should().ContainSingle().Subject;
        late.InitiativeId.Should().Be(programme.Id);
        late.DaysOverdue.Should().Be(1);
        late.OwnerName.Should().Be("Li Na");
        late.OwnerEmail.Should().Be("li.na@example.edu");
        late.DirectionNumber.Should().Be(1);
        late.Progress.Should().Be(10);
        late.Health.Should().Be(Models.Health.Off_track);
        late.LastCheckInAt.Should().Be(TrackerFactory.Start);
        late.DaysSinceLastCheckIn.Should().Be(2);

        var upcoming = await Step("read the upcoming report", () => lead.Api.V1.Reports.Upcoming.GetAsync(config =>
        {
            config.QueryParameters.AsOf = asOf;
            config.QueryParameters.OwnerId = owner.Id;
        }));
        upcoming.WithinDays.Should().Be(14);
        upcoming.TotalCount.Should().Be(1);
        var due = upcoming.Items.Should().ContainSingle().Subject;
        due.InitiativeId.Should().Be(almaty.Id);
        due.Deadline.Should().Be(new Date(2026, 3, 20));
        due.DaysUntilDeadline.Should().Be(8);
        due.Health.Should().Be(Models.Health.At_risk);

        var progress = await Step("read the progress report", () => lead.Api.V1.Reports.Progress.GetAsync(config =>
        {
            config.QueryParameters.AsOf = asOf;
            config.QueryParameters.OwnerId = owner.Id;
        }));
        var overall = progress.Overall!;
        (overall.Total, overall.Planned, overall.InProgress, overall.Done, overall.Overdue, overall.AtRisk, overall.OffTrack)
            .Should().Be((3, 0, 2, 1, 1, 1, 1));
        progress.Directions.Should().Contain(row => row.DirectionNumber == 2 && row.Total == 1 && row.InProgress == 1 && row.AtRisk == 1);

        var execution = await Step("read the execution scorecard", () => lead.Api.V1.Reports.Execution.GetAsync(config =>
        {
            config.QueryParameters.AsOf = asOf;
            config.QueryParameters.OwnerId = owner.Id;
        }));
        var scorecard = execution.Groups.Should().ContainSingle().Subject;
        scorecard.GroupId.Should().Be(owner.Id);
        scorecard.GroupName.Should().Be("Li Na");
        (scorecard.Completed, scorecard.CompletedOnTime, scorecard.CompletedByOriginalDeadline, scorecard.OnTimeRate)
            .Should().Be((1, 1, 1, 1.0));
        (scorecard.Open, scorecard.OpenOverdue, scorecard.DeadlineChanges, scorecard.StaleInitiatives).Should().Be((2, 1, 1, 0));

        // A 400: the exception a caller catches says what the problem's detail says.
        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => lead.Api.V1.Initiatives[almaty.Id!.Value].CheckIns.PostAsync(
            new CreateCheckInCommand { Progress = 150, Health = Models.Health.On_track }));
        invalid.ResponseStatusCode.Should().Be(400);
        invalid.Errors!.AdditionalData.Should().ContainKey("progress");
        invalid.Detail.Should().NotBeNullOrWhiteSpace();
        invalid.Message.Should().Be(invalid.Detail, "the document marks the problem's detail as the error message (x-ms-primary-error-message)");

        // The key expires: from its expiresAt on, the lead is refused and the admin is not.
        factory.Clock.SetUtcNow(expiresAt.AddMinutes(1));
        var expired = await Assert.ThrowsAsync<ProblemDetails>(() => lead.Api.V1.Initiatives[almaty.Id!.Value].GetAsync());
        expired.ResponseStatusCode.Should().Be(401);
        (await Step("read Almaty as admin", () => admin.Api.V1.Initiatives[almaty.Id!.Value].GetAsync())).Id.Should().Be(almaty.Id);
    }

    private static string ETag(HeadersInspectionHandlerOption inspected) =>
        inspected.ResponseHeaders.TryGetValue("ETag", out var values) ? values.Single() : throw new XunitException("The response had no ETag.");
}
