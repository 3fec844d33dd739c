using System.ComponentModel.DataAnnotations;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>The <c>Tracker:Webhooks</c> configuration section, validated at start-up.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Tracker:Webhooks";

    /// <summary>How often the deadline scan (overdue, due soon, the weekly digest) runs.</summary>
    [Range(1, 86_400)]
    public int ScanIntervalSeconds { get; set; } = 60;

    /// <summary><c>initiative.due_soon</c> fires when an open initiative is due within this many days (as <c>/reports/upcoming?withinDays=</c>).</summary>
    [Range(0, 366)]
    public int DueSoonDays { get; set; } = 7;

    /// <summary>The delay before the first retry; each later one is five times the one before.</summary>
    [Range(1, 86_400)]
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>Finished deliveries (delivered or failed) older than this are removed.</summary>
    [Range(1, 3_650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>
    /// Hosts a webhook may name even though they are, or resolve to, a loopback, private or link-local
    /// address (an intranet receiver). Matched exactly, case-insensitively, against the URL's host.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}
