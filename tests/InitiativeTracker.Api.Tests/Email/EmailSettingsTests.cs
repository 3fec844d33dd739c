using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Features.Email;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// What is saved for email: owners' <c>emailReminders</c>, subscriptions and their rules, addresses mail can
/// be sent to; and that with email off nothing is queued and nothing is logged as an error.
/// </summary>
[Trait("Category", "Email")]
public sealed class EmailSettingsTests(EmailSettingsTests.QuietFactory factory) : IClassFixture<EmailSettingsTests.QuietFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task AnOwnersRemindersAreOnByDefaultCanBeTurnedOffAndStayAsTheyAreWhenAPutLeavesThemOut()
    {
        var created = await _client.CreateAsync("/api/v1/owners", new { name = "周杰", email = "zhou.jie@example.edu" });
        created["emailReminders"]!.GetValue<bool>().Should().BeTrue();
        var id = created["id"]!.GetValue<long>();

        var off = await (await _client.PutAsJsonAsync($"/api/v1/owners/{id}", new { name = "周杰", email = "zhou.jie@example.edu", emailReminders = false }))
            .ShouldBe(HttpStatusCode.OK);
        off["emailReminders"]!.GetValue<bool>().Should().BeFalse();
        var kept = await (await _client.PutAsJsonAsync($"/api/v1/owners/{id}", new { name = "周杰", email = "zhou.jie@example.edu", unit = "Office" }))
            .ShouldBe(HttpStatusCode.OK);
        kept["emailReminders"]!.GetValue<bool>().Should().BeFalse();
        (await _client.CreateAsync("/api/v1/owners", new { name = "No reminders", emailReminders = false }))["emailReminders"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task CoordinatorsAndAdminsManageSubscriptionsAndOthersMayNot()
    {
        var coordinator = await factory.ClientForAsync("coordinator");
        var created = await coordinator.PostAsJsonAsync("/api/v1/email-subscriptions", new { email = "office@example.edu", name = "协调办公室", directionId = 2 });
        var subscription = await created.ShouldBe(HttpStatusCode.Created);
        var id = subscription["id"]!.GetValue<long>();
        created.Headers.Location!.OriginalString.Should().Be($"/api/v1/email-subscriptions/{id}");
        subscription["name"]!.GetValue<string>().Should().Be("协调办公室");
        subscription["directionId"]!.GetValue<long>().Should().Be(2);
        subscription["taskForceId"].Should().BeNull();

        (await (await _client.GetAsync($"/api/v1/email-subscriptions/{id}")).ShouldBe(HttpStatusCode.OK))["email"]!.GetValue<string>().Should().Be("office@example.edu");
        (await (await coordinator.GetAsync("/api/v1/email-subscriptions")).ShouldBe(HttpStatusCode.OK))["items"]!.AsArray()
            .Select(s => s!["id"]!.GetValue<long>()).Should().Contain(id);

        foreach (var role in new[] { "viewer", "lead" })
        {
            var other = role == "lead"
                ? await factory.ClientForAsync(role, await _client.NewOwnerAsync($"Lead {Guid.NewGuid():N}", $"lead{Guid.NewGuid():N}@example.edu"))
                : await factory.ClientForAsync(role);
            await (await other.GetAsync("/api/v1/email-subscriptions")).ShouldBeProblem(HttpStatusCode.Forbidden);
            await (await other.PostAsJsonAsync("/api/v1/email-subscriptions", new { email = "x@example.edu" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        }

        await (await coordinator.GetAsync("/api/v1/email/outbox")).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await coordinator.DeleteAsync($"/api/v1/email-subscriptions/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await _client.GetAsync($"/api/v1/email-subscriptions/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WithEmailOffNothingIsQueuedTheTestEndpointSaysSoAndNothingLogsAnError()
    {
        var owner = await _client.NewOwnerAsync("张伟", $"zhang.{Guid.NewGuid():N}@example.edu");
        await _client.NewInitiativeAsync(owner, "数字校园", "2026-03-17");
        await _client.CreateAsync("/api/v1/email-subscriptions", new { email = "office@example.edu" });

        // Monday 09:30 of the next week: a reminder and a digest would be due.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 16, 9, 30, 0, TimeSpan.FromHours(8)));
        await factory.Services.GetRequiredService<EmailScheduler>().RunAsync(CancellationToken.None);
        (await factory.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None)).Should().Be(0);

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM email_outbox")).Should().Be(0);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM email_runs")).Should().Be(0);
        var problem = await (await _client.PostAsJsonAsync("/api/v1/email/test", new { email = "ops@example.edu" })).ShouldBeProblem(HttpStatusCode.Conflict);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/email-off");
        (await (await _client.GetAsync("/api/v1/email/outbox")).ShouldBe(HttpStatusCode.OK))["totalCount"]!.GetValue<long>().Should().Be(0);
        factory.Logged.Where(l => l.Level >= LogLevel.Warning && l.Category.Contains("Email", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Tracker:Email:From", null, "Tracker:Email:From")]
    [InlineData("Tracker:Email:From", "not an address", "Tracker:Email:From")]
    [InlineData("Tracker:Email:PublicUrl", null, "Tracker:Email:PublicUrl")]
    [InlineData("Tracker:Email:PublicUrl", "ftp://tracker.example.edu", "Tracker:Email:PublicUrl")]
    [InlineData("Tracker:Email:SendAt", "9am", "Tracker:Email:SendAt")]
    [InlineData("Tracker:Email:ReminderDays:0", "-1", "Tracker:Email:ReminderDays")]
    [InlineData("Tracker:Email:Smtp:Port", "0", "Tracker:Email:Smtp:Port")]
    [InlineData("Tracker:Email:UnsubscribeSecret", "short", "Tracker:Email:UnsubscribeSecret")]
    public void RefusesToStartWithABadSettingNamingIt(string key, string? value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tracker:Email:Smtp:Host"] = "smtp.example.edu",
            ["Tracker:Email:From"] = "tracker@example.edu",
            ["Tracker:Email:PublicUrl"] = "https://tracker.example.edu",
            [key] = value,
        };
        var provider = new ServiceCollection().AddEmail(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

        var validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().StartWith(named);
    }

    [Fact]
    public void StartsWithEmailOffByDefaultAndTheSpecsDefaults()
    {
        var provider = new ServiceCollection().AddEmail(new ConfigurationBuilder().Build()).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        options.Enabled.Should().BeFalse();
        options.Smtp.Port.Should().Be(587);
        options.Smtp.Security.Should().Be(SmtpSecurity.Auto);
        options.Reminders.Should().Equal(7, 1);
        options.SendTime().Should().Be(new TimeOnly(9, 0));
        options.StaleAfterDays.Should().Be(14);
    }

    /// <summary>The tracker with email off (the default) and its loops running, recording what it logs.</summary>
    public sealed class QuietFactory : TrackerFactory
    {
        public List<(string Category, LogLevel Level)> Logged { get; } = [];

        protected override bool BackgroundLoops => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(new RecordingLoggerProvider(Logged)));
        }
    }

    private sealed class RecordingLoggerProvider(List<(string Category, LogLevel Level)> logged) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, logged);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, List<(string Category, LogLevel Level)> logged) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (logged)
                {
                    logged.Add((category, logLevel));
                }
            }
        }
    }
}

