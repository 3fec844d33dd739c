using InitiativeTracker.Api.Infrastructure;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// Settings are checked when the service starts, not when a request first needs them; a bad one stops
/// the start with its message on stderr and exit code 1, not an unhandled exception.
/// </summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Tracker:Cors:Origins:0", "*", "Tracker:Cors:Origins")]
    [InlineData("Tracker:Cors:Origins:0", "https://tracker.example/app", "Tracker:Cors:Origins")]
    [InlineData("Tracker:Cors:Origins:0", "tracker.example", "Tracker:Cors:Origins")]
    [InlineData("Tracker:Cors:Origins:0", "ftp://tracker.example", "Tracker:Cors:Origins")]
    [InlineData("Tracker:RateLimit:PermitsPerMinute", "0", "PermitsPerMinute")]
    [InlineData("Tracker:BootstrapAdminKey", "short", "Tracker:BootstrapAdminKey")]
    [InlineData("Tracker:TimeZone", "Mars/Base", "Tracker:TimeZone")]
    public void RefusesToStartWithAnUnsafeSetting(string key, string value, string named)
    {
        using var factory = new TrackerFactory();
        using var configured = factory.WithWebHostBuilder(b => b.UseSetting(key, value));

        var failures = StartupSettings.Failures(configured.Services);

        failures.Should().ContainSingle().Which.Should().Contain(named);
        var start = () => configured.CreateClient();
        start.Should().Throw<InvalidOperationException>("the service never started");
    }

    [Fact]
    public void FindsNothingWrongWithTheDefaults()
    {
        using var factory = new TrackerFactory();

        StartupSettings.Failures(factory.Services).Should().BeEmpty();
    }

    [Theory]
    [InlineData("--Tracker:TimeZone=Mars/Base", "Invalid configuration: Tracker:TimeZone is not a known IANA time zone.")]
    [InlineData("--Tracker:BootstrapAdminKey=short",
        "Invalid configuration: Tracker:BootstrapAdminKey must be at least 16 characters long outside Development.")]
    public async Task ExitsWithCodeOneAndTheMessageAloneWhenASettingIsBad(string setting, string message)
    {
        var database = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"{Guid.NewGuid():N}.db");

        var (exit, stdout, stderr) = await ServiceProcess.RunUntilExitAsync(database, setting);

        exit.Should().Be(StartupSettings.ExitCode, stderr);
        stderr.Should().Be(message + Environment.NewLine);
        stdout.Should().BeEmpty("the host never started, so nothing logged a failure with a stack trace");
        File.Exists(database).Should().BeFalse("nothing was started, not even the database");
    }
}
