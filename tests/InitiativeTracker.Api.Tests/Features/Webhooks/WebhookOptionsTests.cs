using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>Tracker:Webhooks is validated when the service starts, not when a webhook first needs it.</summary>
public sealed class WebhookOptionsTests
{
    [Theory]
    [InlineData("Tracker:Webhooks:ScanIntervalSeconds", "0")]
    [InlineData("Tracker:Webhooks:RetryBaseSeconds", "-5")]
    [InlineData("Tracker:Webhooks:DueSoonDays", "400")]
    [InlineData("Tracker:Webhooks:AllowedHosts:0", " ")]
    public void RefusesToStartWithAnInvalidSetting(string key, string value)
    {
        using var factory = new Configured(key, value);

        var start = () => factory.CreateClient();

        start.Should().Throw<OptionsValidationException>().Which.OptionsType.Name.Should().Be("WebhookOptions");
    }

    private sealed class Configured(string key, string value) : TrackerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [key] = value };
    }
}
