namespace InitiativeTracker.Api.Infrastructure.Audit;

// As with AuditAction: the trail writes only these, and openapi.yaml lists them from this enum, so an
// entity type cannot be recorded without being documented and accepted by the audit list's filter.

/// <summary>What an audit entry is about: the singular name of the resource that was written.</summary>
public enum AuditEntityType
{
    Initiative,
    Owner,
    TaskForce,
    Meeting,
    Direction,
    CheckIn,
    ApiKey,
    Webhook,
    EmailSubscription,
}
