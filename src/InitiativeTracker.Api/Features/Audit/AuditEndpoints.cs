using InitiativeTracker.Api.Features.CheckIns;
using InitiativeTracker.Api.Features.Directions;
using InitiativeTracker.Api.Features.Email;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Meetings;
using InitiativeTracker.Api.Features.Owners;
using InitiativeTracker.Api.Features.TaskForces;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.Audit;

internal static class AuditEndpoints
{
    /// <summary>API keys are audited under this type (their feature owns the writes).</summary>
    public const string ApiKeyEntityType = "api_key";

    /// <summary>The entity types the audit trail records: the singular resource names.</summary>
    public static readonly string[] EntityTypes =
    [
        InitiativeEndpoints.EntityType,
        OwnerEndpoints.EntityType,
        TaskForceEndpoints.EntityType,
        MeetingEndpoints.EntityType,
        DirectionEndpoints.EntityType,
        CheckInEndpoints.EntityType,
        ApiKeyEntityType,
        WebhookEndpoints.EntityType,
        EmailEndpoints.SubscriptionEntityType,
    ];

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.ReadAudit);
        ListAuditEntries.Map(group);
    }
}
