using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Features.Email;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// The tracker with email on, sending to a loopback SMTP server on <paramref name="smtpPort"/>. Tests run the
/// scheduler and the sender step by step (<see cref="RunAsync"/>, <see cref="DispatchAsync"/>) with the fake
/// clock; the loop that does the same in production is left out. With <paramref name="databaseFile"/>, a host
/// on that file (a restart of the service that used it).
/// </summary>
public class EmailFactory(int smtpPort, string? databaseFile = null) : TrackerFactory
{
    public const string From = "tracker@example.edu";
    public const string PublicUrl = "https://tracker.example.edu";
    public const int RetryBaseSeconds = 60;
    public const int MaxAttempts = 3;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Tracker:Email:Smtp:Host"] = "127.0.0.1",
                ["Tracker:Email:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Tracker:Email:Smtp:Security"] = "None",
                ["Tracker:Email:Smtp:TimeoutSeconds"] = "2",
                ["Tracker:Email:From"] = $"InitiativeTracker <{From}>",
                ["Tracker:Email:PublicUrl"] = PublicUrl,
                ["Tracker:Email:RetryBaseSeconds"] = RetryBaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Tracker:Email:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (databaseFile is not null)
            {
                settings["ConnectionStrings:Tracker"] = $"Data Source={databaseFile}";
            }

            return settings;
        }
    }

    /// <summary>Decides what is due now (reminders, digests), as the email loop would.</summary>
    public Task RunAsync() => Services.GetRequiredService<EmailScheduler>().RunAsync(CancellationToken.None);

    /// <summary>Sends what is due now; the number of attempts made.</summary>
    public Task<int> DispatchAsync() => Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);

    /// <summary>Sets the fake clock to <paramref name="date"/> at <paramref name="time"/> in Asia/Shanghai (UTC+8).</summary>
    public void At(DateOnly date, TimeOnly time) =>
        Clock.SetUtcNow(new DateTimeOffset(date.ToDateTime(time), TimeSpan.FromHours(8)));
}

public static class EmailSteps
{
    /// <summary>A new owner with this name and email; its id.</summary>
    public static async Task<long> NewOwnerAsync(this HttpClient client, string name, string email) =>
        (await client.CreateAsync("/api/v1/owners", new { name, email }))["id"]!.GetValue<long>();

    /// <summary>A new initiative of <paramref name="ownerId"/> under direction <paramref name="directionId"/>; its id.</summary>
    public static async Task<long> NewInitiativeAsync(this HttpClient client, long ownerId, string title, string deadline, long directionId = 1, long? taskForceId = null) =>
        (await client.CreateAsync("/api/v1/initiatives", new { directionId, ownerId, taskForceId, title, deadline }))["id"]!.GetValue<long>();

    public static async Task<JsonArray> OutboxAsync(this HttpClient client, string query = "")
    {
        var page = await (await client.GetAsync($"/api/v1/email/outbox?pageSize=200{query}")).ShouldBe(HttpStatusCode.OK);
        return page["items"]!.AsArray();
    }

    public static string Text(this MimeMessage message) => message.TextBody ?? throw new InvalidOperationException("No text part.");

    public static string Html(this MimeMessage message) => message.HtmlBody ?? throw new InvalidOperationException("No HTML part.");

    /// <summary>The titles the text part lists, by section heading (<c>== Heading ==</c>, then <c>* title</c> lines).</summary>
    public static Dictionary<string, List<string>> Sections(this MimeMessage message)
    {
        Dictionary<string, List<string>> sections = [];
        List<string>? current = null;
        foreach (var line in message.Text().Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("== ", StringComparison.Ordinal) && line.EndsWith(" ==", StringComparison.Ordinal))
            {
                sections[line[3..^3]] = current = [];
            }
            else if (line.StartsWith("* ", StringComparison.Ordinal))
            {
                current!.Add(line[2..]);
            }
        }

        return sections;
    }
}
