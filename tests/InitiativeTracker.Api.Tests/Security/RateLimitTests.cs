using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

public sealed class LowRateLimitFactory : TrackerFactory
{
    public const int PermitsPerMinute = 5;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Tracker:RateLimit:PermitsPerMinute"] = PermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class RateLimitTests(LowRateLimitFactory factory) : IClassFixture<LowRateLimitFactory>
{
    [Fact]
    public async Task LimitsEachKeySeparatelyWithTooManyRequestsAndRetryAfter()
    {
        var admin = factory.Admin();
        var viewer = factory.WithKey((await admin.CreateKeyAsync("viewer")).Key);
        for (var i = 1; i < LowRateLimitFactory.PermitsPerMinute; i++)
        {
            await (await admin.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
        }

        var limited = await admin.GetAsync("/api/v1/meetings");

        var problem = await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/rate-limited");
        problem["title"]!.GetValue<string>().Should().Be("Too Many Requests");
        limited.Headers.RetryAfter!.Delta!.Value.Should().BePositive().And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        // Another key has its own allowance; health and the OpenAPI document have none to exhaust.
        await (await viewer.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 2 * LowRateLimitFactory.PermitsPerMinute; i++)
        {
            await (await admin.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK);
            await (await admin.GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK);
        }
    }
}
