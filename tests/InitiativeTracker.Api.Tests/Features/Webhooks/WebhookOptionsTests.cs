using InitiativeTracker.Api.Features.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>
/// Tracker:Webhooks is validated when the service starts (the start-up validator the host runs), not when
/// a webhook first needs it. Checked on the registration itself: a host that fails to start surfaces its
/// error through WebApplicationFactory only some of the time.
/// </summary>
public sealed class WebhookOptionsTests
{
    [Theory]
    [InlineData("Tracker:Webhooks:ScanIntervalSeconds", "0")]
    [InlineData("Tracker:Webhooks:RetryBaseSeconds", "-5")]
    [InlineData("Tracker:Webhooks:DueSoonDays", "400")]
    [InlineData("Tracker:Webhooks:RetentionDays", "0")]
    [InlineData("Tracker:Webhooks:AllowedHosts:0", " ")]
    public void RefusesToStartWithAnInvalidSetting(string key, string value)
    {
        var validate = () => StartupValidator(new() { [key] = value }).Validate();

        validate.Should().Throw<OptionsValidationException>().Which.OptionsType.Should().Be<WebhookOptions>();
    }

    [Fact]
    public void StartsWithTheDefaultsAndBindsTheAllowedHosts()
    {
        StartupValidator([]).Validate();

        var options = Provider(new() { ["Tracker:Webhooks:AllowedHosts:0"] = "hooks.intranet", ["Tracker:Webhooks:AllowedHosts:1"] = "10.0.0.5" })
            .GetRequiredService<IOptions<WebhookOptions>>().Value;
        options.AllowedHosts.Should().Equal("hooks.intranet", "10.0.0.5");
        options.ScanIntervalSeconds.Should().Be(60);
        options.DueSoonDays.Should().Be(7);
        options.RetryBaseSeconds.Should().Be(60);
    }

    private static IStartupValidator StartupValidator(Dictionary<string, string?> settings) =>
        Provider(settings).GetRequiredService<IStartupValidator>();

    private static ServiceProvider Provider(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddWebhooks(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
}
