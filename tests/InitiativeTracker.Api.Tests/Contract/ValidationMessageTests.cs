using System.Net;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>A validation message names the field as the client sends it (<c>'pageSize'</c>), as its <c>errors</c> key does.</summary>
public sealed class ValidationMessageTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData("/api/v1/initiatives?pageSize=201", "pageSize", "'pageSize' must be between 1 and 200. You entered 201.")]
    [InlineData("/api/v1/reports/upcoming?withinDays=-1", "withinDays", "'withinDays' must be between 0 and 366. You entered -1.")]
    [InlineData("/api/v1/reports/execution?staleAfterDays=0", "staleAfterDays", "'staleAfterDays' must be between 1 and 3650. You entered 0.")]
    [InlineData("/api/v1/reports/overdue?directionId=0", "directionId", "'directionId' must be greater than '0'.")]
    public async Task NamesAQueryParameterAsSent(string url, string key, string message)
    {
        var problem = await (await _client.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, key);

        problem["errors"]![key]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(message);
    }

    [Fact]
    public async Task NamesABodyFieldAsSent()
    {
        var problem = await (await _client.PostJsonAsync("/api/v1/owners", """{"name":"","email":"not an address"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "name", "email");

        problem["errors"]!["name"]![0]!.GetValue<string>().Should().Be("'name' must not be empty.");
        problem["errors"]!["email"]![0]!.GetValue<string>().Should().Be("'email' is not a valid email address.");
    }

    [Fact]
    public async Task NamesAFieldOfAnImportRowAsSent()
    {
        var csv = "directionId,ownerId,title,deadline,taskForceId\r\n1,1,,2026-12-31,0\r\n";

        var problem = await (await _client.PostAsync("/api/v1/initiatives/import", new StringContent(csv, Encoding.UTF8, "text/csv")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "rows[0].title", "rows[0].taskForceId");

        problem["errors"]!["rows[0].title"]![0]!.GetValue<string>().Should().Be("'title' must not be empty.");
        problem["errors"]!["rows[0].taskForceId"]![0]!.GetValue<string>().Should().Be("'taskForceId' must be greater than '0'.");
    }
}
