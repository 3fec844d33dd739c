using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;

namespace InitiativeTracker.Api.Features.Directions;

internal sealed record CreateDirectionCommand : IRequest<DirectionResponse>, IDirectionFields, IDocumentedExample<CreateDirectionCommand>
{
    public long MeetingId { get; init; }
    public int Number { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }

    public static CreateDirectionCommand Example => new()
    {
        MeetingId = 1,
        Number = 4,
        Title = "Cultural exchange cooperation along the Silk Road",
    };
}

internal sealed class CreateDirectionValidator : AbstractValidator<CreateDirectionCommand>
{
    public CreateDirectionValidator() => this.AddDirectionRules();
}

internal sealed class CreateDirectionHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<CreateDirectionCommand, DirectionResponse>
{
    private const string InsertSql = $"""
        INSERT INTO directions (meeting_id, number, title, description, created_at, updated_at)
        VALUES (@MeetingId, @Number, @Title, @Description, @Now, @Now)
        RETURNING {DirectionResponse.Columns};
        """;

    public Task<DirectionResponse> Handle(CreateDirectionCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            await connection.RequireAsync(transaction, References.Meeting, command.MeetingId, "meetingId", cancellationToken);
            var direction = await connection.QuerySingleAsync<DirectionResponse>(new CommandDefinition(InsertSql,
                new { command.MeetingId, command.Number, command.Title, command.Description, Now = clock.UtcNowText },
                transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Direction, direction.Id, AuditAction.Create, null, direction, cancellationToken);
            return direction;
        }, cancellationToken);
}

internal static class CreateDirection
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createDirection")
        .WithSummary("Add a strategic direction to a meeting (number unique within the meeting)")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<TaggedCreated<DirectionResponse>> Handle(CreateDirectionCommand command, IMediator mediator, CancellationToken ct)
    {
        var direction = await mediator.Send(command, ct);
        return Resource.Created($"/api/v1/directions/{direction.Id}", direction);
    }
}
