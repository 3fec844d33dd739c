using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// Every error is application/problem+json, whatever the client's Accept header asks for: report
/// clients send <c>Accept: text/csv</c>, and their errors must still say what went wrong.
/// </summary>
public sealed class ErrorShapeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    public static TheoryData<string, string, string, string?, HttpStatusCode, string?> Errors()
    {
        var data = new TheoryData<string, string, string, string?, HttpStatusCode, string?>();
        foreach (var accept in new[] { "text/csv", "application/xml", "text/html" })
        {
            data.Add(accept, "POST", "/api/v1/owners", "{}", HttpStatusCode.BadRequest, "name");
            data.Add(accept, "GET", "/api/v1/owners?sort=salary", null, HttpStatusCode.BadRequest, "sort");
            data.Add(accept, "POST", "/api/v1/owners", "[]", HttpStatusCode.BadRequest, "body");
            data.Add(accept, "GET", "/api/v1/owners/999999", null, HttpStatusCode.NotFound, null);
            data.Add(accept, "GET", "/api/v1/nothing-here", null, HttpStatusCode.NotFound, null);
            data.Add(accept, "PATCH", "/api/v1/owners/1", "{}", HttpStatusCode.MethodNotAllowed, null);
            data.Add(accept, "PUT", "/api/v1/meetings/1", """{"title":"x","heldOn":"2023-06-05"}""", HttpStatusCode.PreconditionFailed, null);
            data.Add(accept, "POST", "/api/v1/directions", """{"meetingId":1,"number":1,"title":"Clash"}""", HttpStatusCode.Conflict, "number");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task AnswersProblemJsonWhateverTheAcceptHeader(
        string accept, string method, string url, string? body, HttpStatusCode status, string? errorKey)
    {
        var client = factory.Admin();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);

        var response = await client.SendJsonAsync(new HttpMethod(method), url, body, ifMatch: status == HttpStatusCode.PreconditionFailed ? "\"99\"" : null);

        if (errorKey is null)
        {
            await response.ShouldBeProblem(status);
        }
        else
        {
            await response.ShouldBeProblem(status, errorKey);
        }
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/xml")]
    public async Task AnswersAMissingKeyWithProblemJsonWhateverTheAcceptHeader(string accept)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);

        var response = await client.GetAsync("/api/v1/initiatives");

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal("Bearer");
    }

    [Fact]
    public async Task WritesTheSameProblemWhenJsonIsAccepted()
    {
        var plain = factory.Admin();
        var csv = factory.Admin();
        csv.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "text/csv");

        var asJson = await (await plain.PostJsonAsync("/api/v1/owners", """{"email":"bad"}""")).ShouldBeProblem(HttpStatusCode.BadRequest);
        var asCsv = await (await csv.PostJsonAsync("/api/v1/owners", """{"email":"bad"}""")).ShouldBeProblem(HttpStatusCode.BadRequest);

        asJson.AsObject().Select(p => p.Key).Should().Equal(asCsv.AsObject().Select(p => p.Key));
        asCsv["errors"]!.ToJsonString().Should().Be(asJson["errors"]!.ToJsonString());
    }
}
