using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;

namespace InitiativeTracker.Api.Features.ApiKeys;

internal sealed record CreateApiKeyCommand : IRequest<CreatedApiKeyResponse>
{
    public string? Name { get; init; }
    public ApiKeyRole? Role { get; init; }

    /// <summary>Required for a lead key (the owner it acts for); not allowed for other roles.</summary>
    public long? OwnerId { get; init; }

    /// <summary>Optional: a timestamp in the future (RFC 3339, any offset; stored as UTC) after which the key no longer authenticates.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator(TrackerClock clock)
    {
        // A name is the audit trail's actor and is typed into shells and filters: plain ASCII only, so no
        // name can read as another (a Cyrillic о in "bооtstrap"); names compare case-insensitively.
        RuleFor(k => k.Name).Required(100, TextShape.SingleLine)
            .Matches("^[A-Za-z0-9]([A-Za-z0-9 ._@-]*[A-Za-z0-9._@-])?$")
            .WithMessage("'name' may hold only ASCII letters and digits, spaces and . _ @ -, starting with a letter or digit and not ending in a space.");
        RuleFor(k => k.Role).NotNull().WithMessage("'role' is required: one of admin, lead, coordinator, viewer.");
        RuleFor(k => k.OwnerId).NotNull().When(k => k.Role == ApiKeyRole.Lead)
            .WithMessage("'ownerId' is required for a lead key: the owner whose initiatives it may write.");
        RuleFor(k => k.OwnerId).Null().When(k => k.Role is not null and not ApiKeyRole.Lead)
            .WithMessage("Only a lead key is bound to an owner; leave 'ownerId' out for this role.");
        RuleFor(k => k.OwnerId).GreaterThan(0);
        RuleFor(k => k.ExpiresAt).Must(e => e is null || e.Value > clock.UtcNow)
            .WithMessage("'expiresAt' must be in the future.");
    }
}

internal sealed class CreateApiKeyHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock, ILogger<CreateApiKeyHandler> logger)
    : IRequestHandler<CreateApiKeyCommand, CreatedApiKeyResponse>
{
    /// <summary>The configured bootstrap key's name, and the audit trail's name for the service's own work.</summary>
    private static readonly string[] s_reservedNames = [ApiKeyResolver.BootstrapName, "system"];

    private const string NameTakenSql = "SELECT 1 FROM api_keys WHERE name_key = @NameKey;";

    private const string InsertSql = $"""
        INSERT INTO api_keys (name, name_key, role, owner_id, prefix, key_hash, expires_at, created_at)
        VALUES (@Name, @NameKey, @Role, @OwnerId, @Prefix, @Hash, @ExpiresAt, @Now)
        RETURNING {ApiKeyResponse.Columns};
        """;

    public async Task<CreatedApiKeyResponse> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var name = command.Name!;
        var nameKey = Identity.Key(name);
        var created = await writes.WriteAsync(async (connection, transaction) =>
        {
            if (s_reservedNames.Select(Identity.Key).Contains(nameKey))
            {
                throw ProblemException.Conflict($"The name '{name}' is reserved; choose another.", "name");
            }

            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(NameTakenSql, new { NameKey = nameKey }, transaction, cancellationToken: cancellationToken)) is not null)
            {
                throw ProblemException.Conflict(
                    $"An API key named '{name}' already exists. Names stay taken after revocation, so the audit trail's actor always means one key.", "name");
            }

            await connection.RequireAsync(transaction, References.Owner, command.OwnerId, "ownerId", cancellationToken);
            var (secret, prefix, hash) = ApiKeySecret.New();
            var key = await connection.QuerySingleAsync<ApiKeyResponse>(new CommandDefinition(InsertSql, new
            {
                Name = name,
                NameKey = nameKey,
                Role = command.Role!.Value.ToRole(),
                command.OwnerId,
                Prefix = prefix,
                Hash = hash,
                ExpiresAt = command.ExpiresAt?.UtcDateTime,
                Now = clock.UtcNowText,
            }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.ApiKey, key.Id, AuditAction.Create, null, key, cancellationToken);
            return new CreatedApiKeyResponse(key, secret);
        }, cancellationToken);

        logger.LogInformation("Created {Role} API key {KeyName} (id {KeyId})", created.Role.ToRole(), created.Name, created.Id);
        return created;
    }
}

internal static class CreateApiKey
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createApiKey")
        .WithSummary("Create an API key; the answer holds the secret, shown this once")
        // The answer holds the secret: it must never be stored for an idempotent replay.
        .WithMetadata(new DisableIdempotencyAttribute())
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<TaggedCreated<CreatedApiKeyResponse>> Handle(
        CreateApiKeyCommand command, IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var key = await mediator.Send(command, ct);
        // The secret must not linger in any cache between the server and the admin.
        response.Headers.CacheControl = "no-store";
        return Resource.Created($"{ApiKeyEndpoints.BasePath}/{key.Id}", key);
    }
}
