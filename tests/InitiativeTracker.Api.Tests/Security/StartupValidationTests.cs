using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>Security settings are checked when the service starts, not when a request first needs them.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Tracker:Cors:Origins:0", "*", "Tracker:Cors:Origins")]
    [InlineData("Tracker:Cors:Origins:0", "https://tracker.example/app", "Tracker:Cors:Origins")]
    [InlineData("Tracker:Cors:Origins:0", "tracker.example", "Tracker:Cors:Origins")]
    [InlineData("Tracker:Cors:Origins:0", "ftp://tracker.example", "Tracker:Cors:Origins")]
    [InlineData("Tracker:RateLimit:PermitsPerMinute", "0", "PermitsPerMinute")]
    [InlineData("Tracker:BootstrapAdminKey", "short", "Tracker:BootstrapAdminKey")]
    public void RefusesToStartWithAnUnsafeSetting(string key, string value, string named)
    {
        using var factory = new TrackerFactory();
        using var configured = factory.WithWebHostBuilder(b => b.UseSetting(key, value));

        var start = () => configured.CreateClient();

        start.Should().Throw<OptionsValidationException>().WithMessage($"*{named}*");
    }
}
