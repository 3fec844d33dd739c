using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

/// <summary>
/// Causes each storage fault for real under the real service: a full tmpfs, another connection holding the
/// write lock, a read-only data directory. Each checks the answer, readiness, the one log line when the
/// fault starts and when it clears, recovery without a restart, and that every acknowledged write (and
/// nothing else) is in the database.
/// </summary>
[Trait("Category", "Faults")]
public sealed class StorageFaultTests
{
    private const string StartedLine = "Storage fault {0}: writes cannot commit";
    private const string ClearedLine = "Storage fault {0} cleared";

    [Fact]
    public async Task FullStorageAnswers507AndRecoversWhenSpaceReturns()
    {
        await using var tmpfs = await Tmpfs.MountAsync("3m");
        var databaseFile = Path.Combine(tmpfs.Path, "tracker.db");
        var acknowledged = new List<string>();
        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            for (var i = 0; i < 5; i++)
            {
                await CreateOwnerAsync(service, acknowledged, $"before {i}");
            }

            var filler = tmpfs.Fill();
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 2000 && refused is null; i++)
            {
                var response = await PostOwnerAsync(service, $"while full {i}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add($"while full {i}");
                }
                else
                {
                    refused = response;
                }
            }

            refused.Should().NotBeNull("writes must fail once the volume is full");
            await AssertProblemAsync(refused!, HttpStatusCode.InsufficientStorage, ProblemTypes.StorageFull);
            // Every write meets it, not only the first.
            await AssertProblemAsync(await PostOwnerAsync(service, "refused again"), HttpStatusCode.InsufficientStorage, ProblemTypes.StorageFull);
            (await service.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await service.Client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);

            File.Delete(filler);
            await WaitUntilReadyAsync(service);
            await CreateOwnerAsync(service, acknowledged, "after");

            // The log is read once the process has exited: until then its last lines may still be in a buffer.
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
            Occurrences(service.Output, string.Format(StartedLine, "Full")).Should().Be(1, service.Output);
            Occurrences(service.Output, string.Format(ClearedLine, "Full")).Should().Be(1, service.Output);
            service.Output.Should().NotContain("Unhandled exception").And.NotContain("   at ", "no stack trace is logged per request");
        }

        await AssertOwnersAsync(databaseFile, acknowledged);
    }

    [Fact]
    public async Task WriteLockHeldElsewhereAnswers503WithRetryAfterAndRecovers()
    {
        var directory = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"busy-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var databaseFile = Path.Combine(directory, "tracker.db");
        var acknowledged = new List<string>();
        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            await CreateOwnerAsync(service, acknowledged, "before");

            // As a maintenance script in the sqlite3 shell would: BEGIN IMMEDIATE and sit on the write lock.
            await using (var outside = new SqliteConnection($"Data Source={databaseFile};Pooling=False"))
            {
                await outside.OpenAsync();
                await outside.ExecuteAsync("BEGIN IMMEDIATE;");

                var refused = await PostOwnerAsync(service, "while locked");
                await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, ProblemTypes.DatabaseBusy);
                refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(ProblemExceptionHandler.BusyRetryAfterSeconds));
                (await service.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                // Reads go on beside the held lock (WAL).
                (await service.Client.GetAsync("/api/v1/owners")).StatusCode.Should().Be(HttpStatusCode.OK);

                await outside.ExecuteAsync("ROLLBACK;");
            }

            await WaitUntilReadyAsync(service);
            await CreateOwnerAsync(service, acknowledged, "after");
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
            Occurrences(service.Output, string.Format(StartedLine, "Busy")).Should().Be(1, service.Output);
            Occurrences(service.Output, string.Format(ClearedLine, "Busy")).Should().Be(1, service.Output);
            service.Output.Should().NotContain("Unhandled exception");
        }

        await AssertOwnersAsync(databaseFile, acknowledged);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task IoErrorAnswers503AndNothingAcknowledgedIsLost()
    {
        await using var volume = await Ext4Volume.MountAsync();
        var databaseFile = Path.Combine(volume.Path, "tracker.db");
        var acknowledged = new List<string>();
        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            await CreateOwnerAsync(service, acknowledged, "before");
            await volume.FailAsync();

            await AssertProblemAsync(await PostOwnerAsync(service, "after the error"), HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageError);
            await AssertProblemAsync(await PostOwnerAsync(service, "after the error again"), HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageError);
            (await service.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            // The volume stays read-only until it is checked: that takes the operator, and a stopped service.
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
            Occurrences(service.Output, string.Format(StartedLine, "IoError")).Should().Be(1, service.Output);
            service.Output.Should().NotContain("Unhandled exception");
        }

        await volume.RepairAsync();
        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            await CreateOwnerAsync(service, acknowledged, "after repair");
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        await AssertOwnersAsync(databaseFile, acknowledged);
    }

    [Fact]
    public async Task ReadOnlyDataDirectoryRefusesToStartWithOneLineAndKeepsTheData()
    {
        await using var tmpfs = await Tmpfs.MountAsync("8m");
        var databaseFile = Path.Combine(tmpfs.Path, "tracker.db");
        var acknowledged = new List<string>();
        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            await CreateOwnerAsync(service, acknowledged, "before");
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        await tmpfs.RemountAsync(readOnly: true);
        var (exitCode, output, error) = await ServiceProcess.RunUntilExitAsync(databaseFile);
        exitCode.Should().Be(1, output + error);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain($"The data directory {tmpfs.Path} is not writable");
        output.Should().NotContain("   at ");

        var (missingExit, missingOutput, missingError) = await ServiceProcess.RunUntilExitAsync(Path.Combine(tmpfs.Path, "missing", "tracker.db"));
        missingExit.Should().Be(1, missingOutput + missingError);
        missingError.Trim().Split('\n').Should().ContainSingle()
            .Which.Should().Contain($"The data directory {Path.Combine(tmpfs.Path, "missing")} does not exist and cannot be created");

        await tmpfs.RemountAsync(readOnly: false);
        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            await CreateOwnerAsync(service, acknowledged, "after");
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        await AssertOwnersAsync(databaseFile, acknowledged);
    }

    private static Task<HttpResponseMessage> PostOwnerAsync(ServiceProcess service, string name) =>
        // A long unit makes every row take room, so the volume fills in a few hundred writes.
        service.Client.PostAsJsonAsync("/api/v1/owners", new { name = $"Fault owner {name}", unit = new string('u', 180) });

    private static async Task CreateOwnerAsync(ServiceProcess service, List<string> acknowledged, string name)
    {
        var response = await PostOwnerAsync(service, name);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        acknowledged.Add(name);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonNode.Parse(body)!;
        problem["type"]!.GetValue<string>().Should().Be(type);
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem["traceId"].Should().NotBeNull();
    }

    /// <summary>Polls readiness until it is back (it recovers by itself); fails after a minute.</summary>
    private static async Task WaitUntilReadyAsync(ServiceProcess service)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await service.Client.GetAsync("/health/ready")).StatusCode;
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < TimeSpan.FromMinutes(1));

        status.Should().Be(HttpStatusCode.OK, "readiness recovers by itself once the fault clears");
    }

    /// <summary>Exactly the acknowledged owners are in the file (none lost, none half-written), and it is intact.</summary>
    private static async Task AssertOwnersAsync(string databaseFile, List<string> acknowledged)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;")).Should().Be("ok");
        var names = (await connection.QueryAsync<string>("SELECT name FROM owners WHERE name LIKE 'Fault owner %';")).ToList();
        names.Should().BeEquivalentTo(acknowledged.Select(n => $"Fault owner {n}"));
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
