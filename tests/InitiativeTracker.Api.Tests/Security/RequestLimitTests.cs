using System.Net;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// The body and query-string limits, against the real service: Kestrel enforces the body limits (the
/// in-process test host enforces none), and the exception handler answers its refusal as a problem.
/// </summary>
public sealed class RequestLimitTests(RequestLimitTests.Service service) : IClassFixture<RequestLimitTests.Service>
{
    private const int OneMiB = 1024 * 1024;

    /// <summary>What every body but an import's may weigh (docs/security.md).</summary>
    private const int BodyLimit = 64 * 1024;

    private readonly HttpClient _admin = service.Process.Client;

    /// <summary>The real service on a database of its own.</summary>
    public sealed class Service : IAsyncLifetime
    {
        private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"limits-{Guid.NewGuid():N}.db");

        public ServiceProcess Process { get; private set; } = null!;

        public Task<string> SnapshotAsync() => DatabaseSnapshot.OfAsync(_databaseFile);

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);
            Process = await ServiceProcess.StartAsync(_databaseFile);
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databaseFile)!, Path.GetFileName(_databaseFile) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task RefusesABodyOverTheLimitWithPayloadTooLargeAndWritesNothing()
    {
        var body = Owner(BodyLimit + 1);
        body.Headers.ContentLength.Should().Be(BodyLimit + 1);
        var before = await service.SnapshotAsync();

        var problem = await (await _admin.PostAsync("/api/v1/owners", body)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/payload-too-large");
        (await service.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RefusesAChunkedBodyOverTheLimitAsItIsRead()
    {
        var response = await _admin.PostAsync("/api/v1/owners", new UnknownLengthContent(Owner(BodyLimit + 1)));

        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AnswersOneTitleAndDetailWhetherTheBodyHadALengthOrWasChunked()
    {
        var framed = await (await _admin.PostAsync("/api/v1/owners", Owner(BodyLimit + 1))).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        var chunked = await (await _admin.PostAsync("/api/v1/owners", new UnknownLengthContent(Owner(BodyLimit + 1))))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        foreach (var problem in new[] { framed, chunked })
        {
            problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/payload-too-large");
            problem["title"]!.GetValue<string>().Should().Be("Content Too Large");
            problem["detail"]!.GetValue<string>().Should().Be("The request body may be at most 65536 bytes here.");
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
        var response = await _admin.PostAsync("/api/v1/owners", new UnknownLengthContent(Owner(BodyLimit - 100)));

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
        // Two MiB with a Content-Length: over the default limit, within the import's 16 MiB.
        var rows = new StringContent("[" + new string(' ', 2 * OneMiB) + "]", Encoding.UTF8, "application/json");

        var problem = await (await _admin.PostAsync("/api/v1/initiatives/import", rows)).ShouldBeProblem(HttpStatusCode.BadRequest, "rows");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("rows");
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
