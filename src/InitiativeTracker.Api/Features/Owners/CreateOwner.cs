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

namespace InitiativeTracker.Api.Features.Owners;

internal sealed record CreateOwnerCommand : IRequest<OwnerResponse>, IOwnerFields, IDocumentedExample<CreateOwnerCommand>
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Unit { get; init; }

    /// <summary>Whether the owner gets the daily deadline reminder email; default true.</summary>
    public bool? EmailReminders { get; init; }

    public static CreateOwnerCommand Example => new()
    {
        Name = "Li Na",
        Email = "li.na@example.edu",
        Unit = "School of Mechanical Engineering",
    };
}

internal sealed class CreateOwnerValidator : AbstractValidator<CreateOwnerCommand>
{
    public CreateOwnerValidator() => this.AddOwnerRules();
}

internal sealed class CreateOwnerHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<CreateOwnerCommand, OwnerResponse>
{
    private const string InsertSql = $"""
        INSERT INTO owners (name, email, email_key, unit, email_reminders, created_at, updated_at)
        VALUES (@Name, @Email, @EmailKey, @Unit, @EmailReminders, @Now, @Now)
        RETURNING {OwnerResponse.Columns};
        """;

    public Task<OwnerResponse> Handle(CreateOwnerCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var owner = await connection.QuerySingleAsync<OwnerResponse>(new CommandDefinition(InsertSql,
                new
                {
                    command.Name, command.Email, EmailKey = Identity.EmailKey(command.Email), command.Unit,
                    EmailReminders = command.EmailReminders ?? true, Now = clock.UtcNowText,
                },
                transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Owner, owner.Id, AuditAction.Create, null, owner, cancellationToken);
            return owner;
        }, cancellationToken);
}

internal static class CreateOwner
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createOwner")
        .WithSummary("Create an owner")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<TaggedCreated<OwnerResponse>> Handle(CreateOwnerCommand command, IMediator mediator, CancellationToken ct)
    {
        var owner = await mediator.Send(command, ct);
        return Resource.Created($"/api/v1/owners/{owner.Id}", owner);
    }
}
