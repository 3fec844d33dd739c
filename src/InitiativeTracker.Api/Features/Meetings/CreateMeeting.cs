using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;

namespace InitiativeTracker.Api.Features.Meetings;

internal sealed record CreateMeetingCommand : IRequest<MeetingResponse>, IMeetingFields, IDocumentedExample<CreateMeetingCommand>
{
    public string? Title { get; init; }
    public DateOnly? HeldOn { get; init; }
    public string? Location { get; init; }
    public string? Summary { get; init; }

    public static CreateMeetingCommand Example => new()
    {
        Title = "Follow-up meeting on the UASR innovation engine",
        HeldOn = new DateOnly(2026, 9, 12),
        Location = "Xi'an Jiaotong University, Innovation Harbour",
    };
}

internal sealed class CreateMeetingValidator : AbstractValidator<CreateMeetingCommand>
{
    public CreateMeetingValidator() => this.AddMeetingRules();
}

internal sealed class CreateMeetingHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<CreateMeetingCommand, MeetingResponse>
{
    private const string InsertSql = $"""
        INSERT INTO meetings (title, held_on, location, summary, created_at, updated_at)
        VALUES (@Title, @HeldOn, @Location, @Summary, @Now, @Now)
        RETURNING {MeetingResponse.Columns};
        """;

    public Task<MeetingResponse> Handle(CreateMeetingCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var meeting = await connection.QuerySingleAsync<MeetingResponse>(new CommandDefinition(InsertSql,
                new { command.Title, command.HeldOn, command.Location, command.Summary, Now = clock.UtcNowText },
                transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Meeting, meeting.Id, AuditAction.Create, null, meeting, cancellationToken);
            return meeting;
        }, cancellationToken);
}

internal static class CreateMeeting
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createMeeting")
        .WithSummary("Record a meeting")
        .RequireAuthorization(Policies.Admin);

    private static async Task<TaggedCreated<MeetingResponse>> Handle(CreateMeetingCommand command, IMediator mediator, CancellationToken ct)
    {
        var meeting = await mediator.Send(command, ct);
        return Resource.Created($"/api/v1/meetings/{meeting.Id}", meeting);
    }
}
