namespace InitiativeTracker.Api.Infrastructure.Audit;

// Clients switch on an entry's action, so the trail writes only these and openapi.yaml lists them
// from this enum: a new action cannot be written without being documented.

/// <summary>
/// What an audit entry records: `create`, `update` or `delete` of any entity; `revoke` of an API key;
/// `ping` and `redeliver` of a webhook.
/// </summary>
public enum AuditAction
{
    Create,
    Update,
    Delete,
    Revoke,
    Ping,
    Redeliver,
}
