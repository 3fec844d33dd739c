using System.Net;
using System.Text;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Tests.Security;

public sealed class RequestLimitTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const int OneMiB = 1024 * 1024;

    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task RefusesABodyOverOneMebibyteWithPayloadTooLarge()
    {
        var body = Owner(OneMiB + 1);
        body.Headers.ContentLength.Should().Be(OneMiB + 1);

        var problem = await (await _admin.PostAsync("/api/v1/owners", body)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/payload-too-large");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE unit LIKE 'xxxx%'")).Should().Be(0);
    }

    [Fact]
    public async Task RefusesAChunkedBodyOverOneMebibyteAsItIsRead()
    {
        var response = await _admin.PostAsync("/api/v1/owners", new UnknownLengthContent(Owner(OneMiB + 1)));

        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AnswersOneTitleAndDetailWhetherTheBodyHadALengthOrWasChunked()
    {
        var framed = await (await _admin.PostAsync("/api/v1/owners", Owner(OneMiB + 1))).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        var chunked = await (await _admin.PostAsync("/api/v1/owners", new UnknownLengthContent(Owner(OneMiB + 1))))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        foreach (var problem in new[] { framed, chunked })
        {
            problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/payload-too-large");
            problem["title"]!.GetValue<string>().Should().Be("Content Too Large");
            problem["detail"]!.GetValue<string>().Should().Be("The request body may be at most 1048576 bytes here.");
        }
    }

    [Fact]
    public async Task NamesTheEndpointsOwnLimitWhenAChunkedImportRunsOverIt()
    {
        var rows = new StringContent("[" + new string(' ', 16 * OneMiB) + "]", Encoding.UTF8, "application/json");

        var problem = await (await _admin.PostAsync("/api/v1/initiatives/import", new UnknownLengthContent(rows)))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        problem["title"]!.GetValue<string>().Should().Be("Content Too Large");
        problem["detail"]!.GetValue<string>().Should().Be("The request body may be at most 16777216 bytes here.");
    }

    [Fact]
    public async Task NamesTheEndpointsOwnLimitWhenAChunkedCsvImportRunsOverIt()
    {
        // Short rows, so the body runs over the limit while the CSV reader is part-way through it.
        var csv = new StringBuilder("directionId,ownerId,title,deadline\r\n");
        while (csv.Length <= 16 * OneMiB)
        {
            csv.Append("1,1,Row,2026-12-31\r\n");
        }

        var problem = await (await _admin.PostAsync("/api/v1/initiatives/import", new UnknownLengthContent(new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        problem["detail"]!.GetValue<string>().Should().Be("The request body may be at most 16777216 bytes here.");
    }

    [Fact]
    public async Task ReadsABodyJustUnderTheLimit()
    {
        // The unit is far too long for the rules: the body was read, and judged on its content.
        var response = await _admin.PostAsync("/api/v1/owners", new UnknownLengthContent(Owner(OneMiB - 100)));

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "unit");
    }

    [Fact]
    public async Task RefusesAnOverlongQueryString()
    {
        var response = await _admin.GetAsync("/api/v1/owners?q=" + new string('a', 5000));

        var problem = await response.ShouldBeProblem(HttpStatusCode.RequestUriTooLong);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/uri-too-long");
    }

    [Fact]
    public async Task AnEndpointMayRaiseItsOwnLimit()
    {
        var limits = new RequestLimitsMiddleware(_ => Task.CompletedTask);
        var large = Context(16 * OneMiB, new RequestSizeLimitAttribute(16 * OneMiB));
        var tooLarge = Context(16 * OneMiB + 1, new RequestSizeLimitAttribute(16 * OneMiB));
        var ordinary = Context(OneMiB + 1);

        await limits.InvokeAsync(large);
        await limits.InvokeAsync(tooLarge);
        await limits.InvokeAsync(ordinary);

        large.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        tooLarge.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
        ordinary.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
    }

    private DefaultHttpContext Context(long contentLength, params object[] metadata)
    {
        var context = new DefaultHttpContext { RequestServices = factory.Services };
        context.Request.Method = "POST";
        context.Request.ContentLength = contentLength;
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "test"));
        return context;
    }

    /// <summary>An owner whose JSON is exactly <paramref name="totalBytes"/> long, nearly all of it the unit.</summary>
    private static StringContent Owner(int totalBytes)
    {
        const string Start = "{\"name\":\"Large\",\"unit\":\"";
        const string End = "\"}";
        var json = Start + new string('x', totalBytes - Start.Length - End.Length) + End;
        return new StringContent(json, Encoding.UTF8, "application/json");
    }

    /// <summary>A body sent without Content-Length (chunked), so only counting what is read can enforce the limit.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly HttpContent _inner;

        public UnknownLengthContent(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
