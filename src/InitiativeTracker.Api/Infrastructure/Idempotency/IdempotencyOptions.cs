namespace InitiativeTracker.Api.Infrastructure.Idempotency;

/// <summary>The <c>Tracker:Idempotency</c> configuration section: how long keys live and how long a duplicate waits.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Tracker:Idempotency";

    /// <summary>How long a completed answer is replayed for the same key.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a request in progress holds its key; a key left by a crashed process is free again after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a duplicate waits for the first request to finish before answering 409.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);
}
