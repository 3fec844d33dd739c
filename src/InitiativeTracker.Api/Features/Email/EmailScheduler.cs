using System.Globalization;
using Dapper;
using InitiativeTracker.Api.Features.Reports;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>
/// Decides the owners' daily reminders and the subscriptions' Monday digests, from <c>SendAt</c> on in the
/// tracker's zone. Each email is rendered from the reports of that moment (the overdue and upcoming
/// reports, and the stale rows) and queued in a transaction of its own; the outbox's keys (owner and day,
/// subscription and week) make a second decision a no-op, and a run recorded as done is not redone, so a
/// restart neither repeats nor loses a day's emails. A day the service is down from <c>SendAt</c> to
/// midnight has no reminders, and a Monday so missed no digests: they are about that day.
/// </summary>
internal sealed class EmailScheduler(
    Db db, TrackerClock clock, EmailOutbox outbox, UnsubscribeLinks links, IServiceScopeFactory scopes, IOptions<EmailOptions> options)
{
    /// <summary>At most this many initiatives per list of an owner's reminder (the report's largest page).</summary>
    public const int ReminderRows = Infrastructure.Http.ListQuery.MaxPageSize;

    /// <summary>The digest lists the 50 most overdue initiatives, and at most 50 stale ones.</summary>
    public const int DigestRows = 50;

    /// <summary>The digest lists what is due within this many days.</summary>
    public const int DigestUpcomingDays = 14;

    private const string RunDoneSql = "SELECT EXISTS (SELECT 1 FROM email_runs WHERE kind = @Kind AND period = @Period);";
    private const string RecordRunSql = "INSERT OR IGNORE INTO email_runs (kind, period, ran_at) VALUES (@Kind, @Period, @Now);";

    private static readonly string OwnersSql = $"""
        SELECT o.id AS Id, o.name AS Name, o.email AS Email FROM owners o
        WHERE o.deleted_at IS NULL AND o.email_reminders = 1 AND o.email IS NOT NULL
          AND EXISTS (SELECT 1 FROM initiatives i WHERE i.owner_id = o.id AND i.status IN {Initiatives.OpenStatuses.Sql})
          AND NOT EXISTS (SELECT 1 FROM email_outbox e WHERE e.kind = 'reminder' AND e.owner_id = o.id AND e.period = @Period)
        ORDER BY o.id;
        """;

    // Read again in the write: an owner switched off, archived or re-addressed since is not mailed.
    private const string OwnerStillSql = """
        SELECT EXISTS (SELECT 1 FROM owners WHERE id = @Id AND deleted_at IS NULL AND email_reminders = 1 AND email = @Email);
        """;

    private const string SubscriptionsSql = """
        SELECT s.id AS Id, s.email AS Email, s.name AS Name, s.direction_id AS DirectionId, s.task_force_id AS TaskForceId
        FROM email_subscriptions s
        WHERE NOT EXISTS (SELECT 1 FROM email_outbox e WHERE e.kind = 'digest' AND e.subscription_id = s.id AND e.period = @Period)
        ORDER BY s.id;
        """;

    // A removed row's day or week is long past, and email_runs still says its run was done: nothing is decided again.
    private const string PruneSql = """
        DELETE FROM email_outbox WHERE status IN ('sent', 'failed') AND created_at < @Cutoff;
        DELETE FROM email_runs WHERE ran_at < @Cutoff AND period < @OldestPeriod;
        """;

    private const string SubscriptionStillSql = "SELECT EXISTS (SELECT 1 FROM email_subscriptions WHERE id = @Id);";

    private readonly SemaphoreSlim _pass = new(1, 1);

    private EmailOptions Settings => options.Value;

    /// <summary>Queues what is due now and not yet decided. One pass at a time in this process.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        await _pass.WaitAsync(ct);
        try
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(clock.UtcNow, clock.Zone);
            if (TimeOnly.FromDateTime(local) < Settings.SendTime())
            {
                return;
            }

            var today = DateOnly.FromDateTime(local);
            await RunOnceAsync(EmailKinds.Reminder, today, RemindOwnersAsync, ct);
            if (today.DayOfWeek == DayOfWeek.Monday)
            {
                await RunOnceAsync(EmailKinds.Digest, today, SendDigestsAsync, ct);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    private Task PruneAsync(DateOnly today, CancellationToken ct) =>
        db.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(PruneSql, new
        {
            Cutoff = clock.UtcNow.AddDays(-Settings.RetentionDays),
            OldestPeriod = today.AddDays(-Settings.RetentionDays),
        }, transaction, cancellationToken: ct)), ct);

    private async Task RunOnceAsync(string kind, DateOnly period, Func<DateOnly, CancellationToken, Task> run, CancellationToken ct)
    {
        await using (var connection = await db.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(RunDoneSql, new { Kind = kind, Period = period }, cancellationToken: ct)))
            {
                return;
            }
        }

        await run(period, ct);
        await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(RecordRunSql,
            new { Kind = kind, Period = period, Now = clock.UtcNowText }, transaction, cancellationToken: ct)), ct);
    }

    private async Task RemindOwnersAsync(DateOnly today, CancellationToken ct)
    {
        // Once a day, with the day's run: what the outbox no longer needs goes.
        await PruneAsync(today, ct);
        List<Recipient> owners;
        await using (var connection = await db.OpenAsync(ct))
        {
            owners = (await connection.QueryAsync<Recipient>(new CommandDefinition(OwnersSql, new { Period = today }, cancellationToken: ct))).AsList();
        }

        await using var scope = scopes.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        foreach (var owner in owners)
        {
            if (await ReminderAsync(mediator, owner, today, ct) is not { } email)
            {
                continue;
            }

            await db.WriteAsync(async (connection, transaction) =>
                await connection.ExecuteScalarAsync<bool>(new CommandDefinition(OwnerStillSql, new { owner.Id, owner.Email }, transaction, cancellationToken: ct))
                    ? await outbox.EnqueueAsync(connection, transaction, email, ct)
                    : null, ct);
        }
    }

    /// <summary>The owner's reminder for <paramref name="today"/>; null when there is nothing to say.</summary>
    private async Task<DecidedEmail?> ReminderAsync(IMediator mediator, Recipient owner, DateOnly today, CancellationToken ct)
    {
        var scope = new ReportScope { OwnerId = owner.Id };
        var reminders = Settings.Reminders;
        var overdue = await mediator.Send(new OverdueReportQuery { Scope = scope, Rows = new ReportRows { PageSize = ReminderRows } }, ct);
        var upcoming = await mediator.Send(new UpcomingReportQuery
        {
            Scope = scope,
            WithinDays = reminders.Max(),
            Rows = new ReportRows { PageSize = ReminderRows },
        }, ct);
        var stale = await StaleInitiatives.QueryAsync(db, clock, scope, Settings.StaleAfterDays, ReminderRows, ct);

        var monday = today.DayOfWeek == DayOfWeek.Monday;
        var late = overdue.Items.Where(r => monday || r.DaysOverdue == 1).ToList();
        var due = upcoming.Items.Where(r => reminders.Contains(r.DaysUntilDeadline)).ToList();
        var listed = late.Select(r => r.InitiativeId).Concat(due.Select(r => r.InitiativeId)).ToHashSet();
        var quiet = stale.Rows.Where(r => !listed.Contains(r.InitiativeId)).ToList();
        if (late.Count + due.Count + quiet.Count == 0)
        {
            return null;
        }

        List<EmailSection> sections = [];
        if (late.Count > 0)
        {
            sections.Add(new EmailSection
            {
                Heading = monday ? "Overdue" : "Overdue since today",
                Note = monday
                    ? "Open and past their deadline (listed every Monday until they are done or their deadline moves)."
                    : "Their deadline was yesterday.",
                Rows = late.Select(Row).ToList(),
                More = monday ? overdue.TotalCount - late.Count : 0,
            });
        }

        if (due.Count > 0)
        {
            sections.Add(new EmailSection
            {
                Heading = "Due soon",
                Note = $"Due in {string.Join(" or ", reminders.Order().Select(d => d.ToString(CultureInfo.InvariantCulture)))} days.",
                Rows = due.Select(Row).ToList(),
            });
        }

        if (quiet.Count > 0)
        {
            sections.Add(new EmailSection
            {
                Heading = "Waiting for a check-in",
                Note = $"No check-in for {Settings.StaleAfterDays} days or more: please report progress, even if nothing changed.",
                Rows = quiet.Select(Row).ToList(),
                More = Math.Max(0, stale.TotalCount - stale.Rows.Count),
            });
        }

        var count = late.Count + due.Count + quiet.Count;
        var unsubscribe = await links.UrlForAsync(new UnsubscribeTarget(IsOwner: true, owner.Id), ct);
        var model = new EmailModel
        {
            Title = $"Your initiatives on {Day(today)}",
            Greeting = $"Dear {owner.Name},",
            Intro = [$"{Plural(count, "initiative needs", "initiatives need")} your attention today."],
            Sections = sections,
            DashboardUrl = Settings.BaseUrl() + "/",
            CsvUrl = $"{Settings.BaseUrl()}/api/v1/reports/overdue?format=csv&ownerId={owner.Id}",
            UnsubscribeUrl = unsubscribe,
            Why = "You get this email because you own these initiatives in InitiativeTracker.",
        };
        return new DecidedEmail(EmailKinds.Reminder, owner.Email, $"InitiativeTracker: {Plural(count, "initiative needs", "initiatives need")} your attention ({Day(today)})",
            await EmailTemplates.RenderAsync(model), unsubscribe, OwnerId: owner.Id, Period: today);
    }

    private async Task SendDigestsAsync(DateOnly monday, CancellationToken ct)
    {
        List<Subscription> subscriptions;
        await using (var connection = await db.OpenAsync(ct))
        {
            subscriptions = (await connection.QueryAsync<Subscription>(new CommandDefinition(SubscriptionsSql, new { Period = monday }, cancellationToken: ct))).AsList();
        }

        await using var scope = scopes.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        foreach (var subscription in subscriptions)
        {
            var email = await DigestAsync(mediator, subscription, monday, ct);
            await db.WriteAsync(async (connection, transaction) =>
                await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SubscriptionStillSql, new { subscription.Id }, transaction, cancellationToken: ct))
                    ? await outbox.EnqueueAsync(connection, transaction, email, ct)
                    : null, ct);
        }
    }

    private async Task<DecidedEmail> DigestAsync(IMediator mediator, Subscription subscription, DateOnly monday, CancellationToken ct)
    {
        var scope = new ReportScope { DirectionId = subscription.DirectionId, TaskForceId = subscription.TaskForceId };
        var byDirection = await mediator.Send(new OverdueReportQuery
        {
            Scope = scope,
            Rows = new ReportRows { GroupBy = ReportGrouping.Direction, PageSize = 1 },
        }, ct);
        var overdue = await mediator.Send(new OverdueReportQuery { Scope = scope, Rows = new ReportRows { PageSize = DigestRows } }, ct);
        var upcoming = await mediator.Send(new UpcomingReportQuery
        {
            Scope = scope,
            WithinDays = DigestUpcomingDays,
            Rows = new ReportRows { PageSize = Infrastructure.Http.ListQuery.MaxPageSize },
        }, ct);
        var stale = await StaleInitiatives.QueryAsync(db, clock, scope, Settings.StaleAfterDays, DigestRows, ct);

        var filters = (subscription.DirectionId is { } d ? $"&directionId={d}" : "") + (subscription.TaskForceId is { } t ? $"&taskForceId={t}" : "");
        var unsubscribe = await links.UrlForAsync(new UnsubscribeTarget(IsOwner: false, subscription.Id), ct);
        var model = new EmailModel
        {
            Title = $"Weekly digest, week of {Day(monday)}",
            Greeting = subscription.Name is { Length: > 0 } name ? $"Dear {name}," : "Hello,",
            Intro =
            [
                $"{Plural(overdue.TotalCount, "initiative is", "initiatives are")} overdue, {Plural(upcoming.TotalCount, "is", "are")} due in the next {DigestUpcomingDays} days, "
                    + $"and {Plural(stale.TotalCount, "has", "have")} had no check-in for {Settings.StaleAfterDays} days or more"
                    + (scope.DirectionId is null && scope.TaskForceId is null ? "." : " (this subscription's direction or task force only)."),
            ],
            CountsHeading = "Overdue per direction",
            Counts = (byDirection.Groups ?? []).Select(g => new EmailCount(g.GroupName, g.Count)).ToList(),
            Sections =
            [
                new EmailSection
                {
                    Heading = $"The {DigestRows} most overdue",
                    Note = "Open and past their deadline, most overdue first.",
                    Rows = overdue.Items.Select(Row).ToList(),
                    More = overdue.TotalCount - overdue.Items.Count,
                },
                new EmailSection
                {
                    Heading = $"Due in the next {DigestUpcomingDays} days",
                    Note = "Open, soonest first.",
                    Rows = upcoming.Items.Select(Row).ToList(),
                    More = upcoming.TotalCount - upcoming.Items.Count,
                },
                new EmailSection
                {
                    Heading = "Waiting for a check-in",
                    Note = $"Open, with no check-in for {Settings.StaleAfterDays} days or more.",
                    Rows = stale.Rows.Select(Row).ToList(),
                    More = stale.TotalCount - stale.Rows.Count,
                },
            ],
            DashboardUrl = Settings.BaseUrl() + "/",
            CsvUrl = $"{Settings.BaseUrl()}/api/v1/reports/overdue?format=csv{filters}",
            UnsubscribeUrl = unsubscribe,
            Why = "You get this email because this address subscribed to InitiativeTracker's weekly digest.",
        };
        return new DecidedEmail(EmailKinds.Digest, subscription.Email, $"InitiativeTracker weekly digest: {Plural(overdue.TotalCount, "initiative", "initiatives")} overdue ({Day(monday)})",
            await EmailTemplates.RenderAsync(model), unsubscribe, SubscriptionId: subscription.Id, Period: monday);
    }

    private static EmailInitiative Row(OverdueRow r) => new()
    {
        Title = r.Title,
        Direction = $"Direction {r.DirectionNumber}",
        TaskForce = r.TaskForceName,
        Owner = r.OwnerName,
        Deadline = Day(r.Deadline),
        When = $"overdue by {Plural(r.DaysOverdue, "day", "days")}",
        Late = true,
        Progress = r.Progress,
        LastCheckIn = CheckIn(r.DaysSinceLastCheckIn),
    };

    private static EmailInitiative Row(UpcomingRow r) => new()
    {
        Title = r.Title,
        Direction = $"Direction {r.DirectionNumber}",
        TaskForce = r.TaskForceName,
        Owner = r.OwnerName,
        Deadline = Day(r.Deadline),
        When = r.DaysUntilDeadline switch
        {
            < 0 => $"overdue by {Plural(-r.DaysUntilDeadline, "day", "days")}",
            0 => "due today",
            var d => $"due in {Plural(d, "day", "days")}",
        },
        Late = r.DaysUntilDeadline < 0,
        Progress = r.Progress,
        LastCheckIn = CheckIn(r.DaysSinceLastCheckIn),
    };

    private static string CheckIn(int? days) => days switch
    {
        null => "never",
        0 => "today",
        var d => $"{Plural(d.Value, "day", "days")} ago",
    };

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Plural(long n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    private sealed record Recipient
    {
        public long Id { get; init; }
        public required string Name { get; init; }
        public required string Email { get; init; }
    }

    private sealed record Subscription
    {
        public long Id { get; init; }
        public required string Email { get; init; }
        public string? Name { get; init; }
        public long? DirectionId { get; init; }
        public long? TaskForceId { get; init; }
    }
}
