using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Owners;

internal sealed record UpdateOwnerCommand : IRequest<OwnerResponse?>, IOwnerFields, IDocumentedExample<UpdateOwnerCommand>
{
    [JsonIgnore]
    public long Id { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Unit { get; init; }

    /// <summary>Whether the owner gets the daily deadline reminder email; left out, it stays as it is.</summary>
    public bool? EmailReminders { get; init; }

    public static UpdateOwnerCommand Example => new()
    {
        Name = "Li Na",
        Email = "li.na@example.edu",
        Unit = "Office of International Cooperation",
    };
}

internal sealed class UpdateOwnerValidator : AbstractValidator<UpdateOwnerCommand>
{
    public UpdateOwnerValidator() => this.AddOwnerRules();
}

internal sealed class UpdateOwnerHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<UpdateOwnerCommand, OwnerResponse?>
{
    private const string UpdateSql = """
        UPDATE owners SET name = @Name, email = @Email, email_key = @EmailKey, unit = @Unit, email_reminders = @EmailReminders, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public Task<OwnerResponse?> Handle(UpdateOwnerCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<OwnerResponse>(
                new CommandDefinition(OwnerResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            Preconditions.Check(command.IfMatch, before.Version);
            var after = before with
            {
                Name = command.Name!,
                Email = command.Email,
                Unit = command.Unit,
                EmailReminders = command.EmailReminders ?? before.EmailReminders,
            };
            if (AuditTrail.IsUnchanged(before, after))
            {
                return before;
            }

            after = after with { Version = before.Version + 1, UpdatedAt = clock.UtcNow };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                after.Id, after.Name, after.Email, EmailKey = Identity.EmailKey(after.Email), after.Unit, after.EmailReminders, after.Version, after.UpdatedAt,
            }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Owner, after.Id, AuditAction.Update, before, after, cancellationToken);
            return after;
        }, cancellationToken);
}

internal static class UpdateOwner
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/{id:long}", Handle)
        .WithName("updateOwner")
        .WithSummary("Replace an owner's fields")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Tagged<OwnerResponse>, NotFound>> Handle(
        long id, UpdateOwnerCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var owner = await mediator.Send(command with { Id = id, IfMatch = ifMatch.Versions }, ct);
        if (owner is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(owner);
    }
}
