using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Meetings;

internal sealed record UpdateMeetingCommand : IRequest<MeetingResponse?>, IMeetingFields, IDocumentedExample<UpdateMeetingCommand>
{
    [JsonIgnore]
    public long Id { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    public string? Title { get; init; }
    public DateOnly? HeldOn { get; init; }
    public string? Location { get; init; }
    public string? Summary { get; init; }

    public static UpdateMeetingCommand Example => new()
    {
        Title = "Follow-up meeting on the UASR innovation engine",
        HeldOn = new DateOnly(2026, 9, 19),
        Location = "Xi'an Jiaotong University, Innovation Harbour",
        Summary = "Reviewed the first year of the task forces.",
    };
}

internal sealed class UpdateMeetingValidator : AbstractValidator<UpdateMeetingCommand>
{
    public UpdateMeetingValidator() => this.AddMeetingRules();
}

internal sealed class UpdateMeetingHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<UpdateMeetingCommand, MeetingResponse?>
{
    private const string UpdateSql = """
        UPDATE meetings SET title = @Title, held_on = @HeldOn, location = @Location, summary = @Summary,
                            version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public Task<MeetingResponse?> Handle(UpdateMeetingCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<MeetingResponse>(
                new CommandDefinition(MeetingResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            Preconditions.Check(command.IfMatch, before.Version);
            var after = before with
            {
                Title = command.Title!,
                HeldOn = command.HeldOn!.Value,
                Location = command.Location,
                Summary = command.Summary,
            };
            if (AuditTrail.IsUnchanged(before, after))
            {
                return before;
            }

            after = after with { Version = before.Version + 1, UpdatedAt = clock.UtcNow };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, after, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Meeting, after.Id, AuditAction.Update, before, after, cancellationToken);
            return after;
        }, cancellationToken);
}

internal static class UpdateMeeting
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/{id:long}", Handle)
        .WithName("updateMeeting")
        .WithSummary("Replace a meeting's fields")
        .RequireAuthorization(Policies.Admin);

    private static async Task<Results<Tagged<MeetingResponse>, NotFound>> Handle(
        long id, UpdateMeetingCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var meeting = await mediator.Send(command with { Id = id, IfMatch = ifMatch.Versions }, ct);
        if (meeting is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(meeting);
    }
}
