using System.Net;
using System.Net.Http.Json;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Infrastructure.Database;

/// <summary>
/// <see cref="Db.BeginRequestTransaction"/>: every write of the flow in one transaction, opened at the
/// first write, committed with the last one or rolled back. (What the idempotency middleware relies on.)
/// </summary>
public sealed class RequestTransactionTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private Db Db => factory.Services.GetRequiredService<Db>();

    [Fact]
    public async Task WritesJoinOneTransactionThatOthersSeeOnlyOnceItCommits()
    {
        _ = factory.CreateClient();
        await using (var writes = Db.BeginRequestTransaction())
        {
            await InsertOwnerAsync("Joined write one");
            await InsertOwnerAsync("Joined write two");
            (await CountAsync("Joined write %")).Should().Be(0, "nothing is committed before CommitAsync");

            await writes.CommitAsync((connection, transaction) =>
                connection.ExecuteAsync("INSERT INTO owners (name, created_at, updated_at) VALUES ('Joined write three', '2026-03-10T02:00:00Z', '2026-03-10T02:00:00Z');", transaction: transaction));
        }

        (await CountAsync("Joined write %")).Should().Be(3);
    }

    [Fact]
    public async Task DisposingWithoutCommitRollsEveryJoinedWriteBack()
    {
        _ = factory.CreateClient();
        await using (Db.BeginRequestTransaction())
        {
            await InsertOwnerAsync("Rolled back one");
            await InsertOwnerAsync("Rolled back two");
        }

        (await CountAsync("Rolled back %")).Should().Be(0);
        await InsertOwnerAsync("Written after the scope");
        (await CountAsync("Written after the scope")).Should().Be(1, "after the scope a write commits on its own, and the gate is free");
    }

    [Fact]
    public async Task TakesTheWriteGateOnlyAtItsFirstWrite()
    {
        var client = factory.Admin();
        await using var writes = Db.BeginRequestTransaction();

        // Another flow (an HTTP request) writes while the scope is open but has not written yet.
        var other = Task.Run(() => client.PostAsJsonAsync("/api/v1/owners", new { name = "Not held up" }));
        (await other.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RefusesASecondScopeInTheSameFlow()
    {
        _ = factory.CreateClient();
        await using var writes = Db.BeginRequestTransaction();

        var nested = () => Db.BeginRequestTransaction();

        nested.Should().Throw<InvalidOperationException>();
    }

    private Task<int> InsertOwnerAsync(string name) => Db.WriteAsync((connection, transaction) => connection.ExecuteAsync(
        "INSERT INTO owners (name, created_at, updated_at) VALUES (@name, '2026-03-10T02:00:00Z', '2026-03-10T02:00:00Z');",
        new { name }, transaction), CancellationToken.None);

    private Task<long> CountAsync(string pattern) =>
        factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name LIKE @pattern", new { pattern });
}
