using System.Net;
using System.Net.Sockets;
using InitiativeTracker.Cli.Tests.Infrastructure;
using static InitiativeTracker.Cli.Tests.Infrastructure.TrackerService;

namespace InitiativeTracker.Cli.Tests;

/// <summary>One exit code per class of problem, with the problem's title, detail and field errors on standard error.</summary>
public sealed class ExitCodeTests(TrackerService service) : IClassFixture<TrackerService>
{
    [Fact]
    public async Task BadInputIsOneWithTheFieldErrors()
    {
        var owner = await service.CreateOwnerAsync("Bad Input Owner");
        var id = await service.CreateInitiativeAsync(owner, "Bad input initiative");

        var result = await service.Tracker("checkin", Text(id), "--progress", "500", "--health", "on_track");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Output.Should().BeEmpty();
        result.Error.Should().Contain("(400)").And.Contain("  progress: 'progress' must be from 0 to 100.");
        (await service.GetJsonAsync($"/api/v1/initiatives/{id}/check-ins")).GetProperty("totalCount").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task ACommandLineTheParserRefusesIsOne()
    {
        var result = await service.Tracker("checkin", "42", "--progress", "60", "--health", "fine");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("fine");

        var date = await service.Tracker("deadline", "42", "--to", "31/03/2027", "--reason", "x");
        date.ExitCode.Should().Be(ExitCodes.BadInput);
        date.Error.Should().Contain("yyyy-MM-dd");
    }

    [Fact]
    public async Task AnUnknownKeyIsTwo()
    {
        var result = await service.TrackerWithKey("not-a-key-of-this-service-000000", "initiatives", "list");

        result.ExitCode.Should().Be(ExitCodes.KeyRefused);
        result.Error.Should().Contain("(401)");
    }

    [Fact]
    public async Task ARoleThatMayNotIsTwo()
    {
        var owner = await service.CreateOwnerAsync("Lead Without Admin");
        var lead = await service.CreateLeadKeyAsync(owner, "lead-exit-codes");

        var result = await service.TrackerWithKey(lead, "owners", "create", "--name", "Someone Else");

        result.ExitCode.Should().Be(ExitCodes.KeyRefused);
        result.Error.Should().Contain("(403)");
    }

    [Fact]
    public async Task NoSettingsAtAllIsTwo()
    {
        var environment = service.Environment(key: null);
        var result = await CliResult.RunAsync(environment, terminal: false, input: null, "initiatives", "list");

        result.ExitCode.Should().Be(ExitCodes.KeyRefused);
        result.Error.Should().Contain("tracker login");
    }

    [Fact]
    public async Task NotFoundIsThree()
    {
        var result = await service.Tracker("initiatives", "show", "987654321");

        result.ExitCode.Should().Be(ExitCodes.NotFound);
        result.Error.Should().Contain("(404)");
    }

    [Fact]
    public async Task AConflictIsFour()
    {
        var owner = await service.CreateOwnerAsync("Conflict Owner");
        var id = await service.CreateInitiativeAsync(owner, "Conflict initiative");
        (await service.Tracker("checkin", Text(id), "--progress", "20", "--health", "on_track", "--status", "in_progress")).Succeeded();

        var result = await service.Tracker("checkin", Text(id), "--progress", "20", "--health", "on_track", "--status", "planned");

        result.ExitCode.Should().Be(ExitCodes.Conflict);
        result.Error.Should().Contain("(409)").And.Contain("cannot become 'planned'");
    }

    [Fact]
    public async Task AStaleVersionIsFour()
    {
        var owner = await service.CreateOwnerAsync("Stale Owner");
        var id = await service.CreateInitiativeAsync(owner, "Stale initiative", "2027-01-31");
        (await service.Tracker("deadline", Text(id), "--to", "2027-02-28", "--reason", "first move")).Succeeded();

        var result = await service.Tracker("deadline", Text(id), "--to", "2027-03-31", "--reason", "from an old read", "--if-version", "1");

        result.ExitCode.Should().Be(ExitCodes.Conflict);
        result.Error.Should().Contain("(412)");
        (await service.GetJsonAsync($"/api/v1/initiatives/{id}")).GetProperty("deadline").GetString().Should().Be("2027-02-28");
    }

    [Fact]
    public async Task AServiceThatCannotBeReachedIsFive()
    {
        var closed = ClosedPort();
        var environment = service.Environment(url: new Uri($"http://127.0.0.1:{closed}"));

        var result = await CliResult.RunAsync(environment, terminal: false, input: null, "initiatives", "list", "--retries", "0");

        result.ExitCode.Should().Be(ExitCodes.Unavailable);
        result.Error.Should().Contain("could not be reached");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
