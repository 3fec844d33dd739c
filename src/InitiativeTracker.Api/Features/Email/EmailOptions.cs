using System.ComponentModel.DataAnnotations;
using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.Extensions.Options;
using MimeKit;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>How the service talks to its SMTP server: MailKit's choices, by name.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,
    StartTls,
    SslOnConnect,
    None,
}

/// <summary>The <c>Tracker:Email:Smtp</c> section.</summary>
public sealed class SmtpOptions
{
    /// <summary>The SMTP server; unset (the default) turns email off: nothing is queued or sent.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>How long one SMTP command may wait for the server's answer before the attempt counts as failed.</summary>
    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>The <c>Tracker:Email</c> configuration section, validated at start-up.</summary>
public sealed class EmailOptions
{
    public const string Section = "Tracker:Email";

    public static readonly int[] DefaultReminderDays = [7, 1];

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, an address or "Name &lt;address&gt;"; required when email is on.</summary>
    public string? From { get; set; }

    /// <summary>
    /// An owner is reminded of an open initiative due in exactly one of these many days. Null (unset) is
    /// <see cref="DefaultReminderDays"/>: the configuration binder appends to an array it finds filled.
    /// </summary>
    public int[]? ReminderDays { get; set; }

    /// <summary>The local time (HH:mm, in Tracker:TimeZone) from which the day's reminders and Monday's digests go out.</summary>
    public string SendAt { get; set; } = "09:00";

    /// <summary>An open initiative with no check-in (nor creation) in this many days is listed as stale.</summary>
    [Range(1, 3_650)]
    public int StaleAfterDays { get; set; } = 14;

    /// <summary>The base URL of the service as people reach it, for the links in emails; required when email is on.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// The key that signs unsubscribe links (at least 32 characters). Unset: a random key generated once
    /// and kept in the database, so links stay valid across restarts.
    /// </summary>
    public string? UnsubscribeSecret { get; set; }

    /// <summary>The delay before the first retry of a refused or failed send; each later one is five times the one before.</summary>
    [Range(1, 86_400)]
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>Attempts in all before an email is marked failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Sent and failed emails older than this are removed from the outbox (their day or week is long past).</summary>
    [Range(1, 3_650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>How often the scheduler looks whether reminders or digests are due, and the sender polls.</summary>
    [Range(1, 86_400)]
    public int PollSeconds { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IReadOnlyList<int> Reminders => ReminderDays ?? DefaultReminderDays;

    public TimeOnly SendTime() => TimeOnly.ParseExact(SendAt, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The public URL without a trailing slash.</summary>
    public string BaseUrl() => PublicUrl!.TrimEnd('/');

    public MailboxAddress Sender() => MailboxAddress.Parse(From!);

    /// <summary>What is wrong with these settings, each naming its key; empty when nothing is.</summary>
    public IEnumerable<string> Failures()
    {
        if (!TimeOnly.TryParseExact(SendAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return "Tracker:Email:SendAt must be a time of day as HH:mm, such as 09:00.";
        }

        if (ReminderDays is { } days && (days.Length == 0 || days.Any(d => d is < 0 or > 366)))
        {
            yield return "Tracker:Email:ReminderDays must list one or more day counts from 0 to 366.";
        }

        if (Smtp.Port is < 1 or > 65_535)
        {
            yield return "Tracker:Email:Smtp:Port must be between 1 and 65535.";
        }

        if (Smtp.TimeoutSeconds is < 1 or > 600)
        {
            yield return "Tracker:Email:Smtp:TimeoutSeconds must be between 1 and 600.";
        }

        if (UnsubscribeSecret is { Length: < 32 })
        {
            yield return "Tracker:Email:UnsubscribeSecret must be at least 32 characters long.";
        }

        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out var from) || !EmailAddresses.IsDeliverable(from.Address))
        {
            yield return "Tracker:Email:From must be an email address (or \"Name <address>\") when Tracker:Email:Smtp:Host is set.";
        }

        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            yield return "Tracker:Email:PublicUrl must be the service's absolute http(s) URL (the base of the links in emails) when Tracker:Email:Smtp:Host is set.";
        }
    }
}

/// <summary>The rules of <see cref="EmailOptions.Failures"/>, one message per broken rule, each naming its key.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
        options.Failures().ToList() is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
}
