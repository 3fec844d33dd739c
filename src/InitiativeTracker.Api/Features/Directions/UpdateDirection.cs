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

namespace InitiativeTracker.Api.Features.Directions;

internal sealed record UpdateDirectionCommand : IRequest<DirectionResponse?>, IDirectionFields, IDocumentedExample<UpdateDirectionCommand>
{
    [JsonIgnore]
    public long Id { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    public long MeetingId { get; init; }
    public int Number { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }

    public static UpdateDirectionCommand Example => new()
    {
        MeetingId = 1,
        Number = 4,
        Title = "Cultural exchange cooperation along the Silk Road",
        Description = "Exchanges of students, scholars and artists.",
    };
}

internal sealed class UpdateDirectionValidator : AbstractValidator<UpdateDirectionCommand>
{
    public UpdateDirectionValidator() => this.AddDirectionRules();
}

internal sealed class UpdateDirectionHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<UpdateDirectionCommand, DirectionResponse?>
{
    private const string UpdateSql = """
        UPDATE directions SET meeting_id = @MeetingId, number = @Number, title = @Title, description = @Description,
                              version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public Task<DirectionResponse?> Handle(UpdateDirectionCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<DirectionResponse>(
                new CommandDefinition(DirectionResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            Preconditions.Check(command.IfMatch, before.Version);
            await connection.RequireAsync(transaction, References.Meeting, command.MeetingId, "meetingId", cancellationToken);
            var after = before with
            {
                MeetingId = command.MeetingId,
                Number = command.Number,
                Title = command.Title!,
                Description = command.Description,
            };
            if (AuditTrail.IsUnchanged(before, after))
            {
                return before;
            }

            after = after with { Version = before.Version + 1, UpdatedAt = clock.UtcNow };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, after, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Direction, after.Id, AuditAction.Update, before, after, cancellationToken);
            return after;
        }, cancellationToken);
}

internal static class UpdateDirection
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/{id:long}", Handle)
        .WithName("updateDirection")
        .WithSummary("Replace a direction's fields")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Tagged<DirectionResponse>, NotFound>> Handle(
        long id, UpdateDirectionCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var direction = await mediator.Send(command with { Id = id, IfMatch = ifMatch.Versions }, ct);
        if (direction is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(direction);
    }
}
