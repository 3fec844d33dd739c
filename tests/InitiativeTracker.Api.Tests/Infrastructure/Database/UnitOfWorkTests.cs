using System.Net;
using System.Net.Http.Json;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Infrastructure.Database;

/// <summary>
/// <see cref="UnitOfWork.Hold"/>: every write of the request in one transaction, opened at the first
/// write, committed with the last one or rolled back. (What the idempotency middleware relies on.)
/// </summary>
public sealed class UnitOfWorkTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task WritesJoinOneTransactionThatOthersSeeOnlyOnceItCommits()
    {
        await using var scope = Scope();
        var writes = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        await using (writes.Hold())
        {
            await InsertOwnerAsync(writes, "Joined write one");
            await InsertOwnerAsync(writes, "Joined write two");
            (await CountAsync("Joined write %")).Should().Be(0, "nothing is committed before CommitAsync");

            await writes.CommitAsync((connection, transaction) =>
                connection.ExecuteAsync("INSERT INTO owners (name, created_at, updated_at) VALUES ('Joined write three', '2026-03-10T02:00:00Z', '2026-03-10T02:00:00Z');", transaction: transaction));
        }

        (await CountAsync("Joined write %")).Should().Be(3);
    }

    [Fact]
    public async Task DisposingWithoutCommitRollsEveryJoinedWriteBack()
    {
        await using var scope = Scope();
        var writes = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        await using (writes.Hold())
        {
            await InsertOwnerAsync(writes, "Rolled back one");
            await InsertOwnerAsync(writes, "Rolled back two");
        }

        (await CountAsync("Rolled back %")).Should().Be(0);
        await InsertOwnerAsync(writes, "Written after the scope");
        (await CountAsync("Written after the scope")).Should().Be(1, "after the scope a write commits on its own, and the gate is free");
    }

    [Fact]
    public async Task TakesTheWriteGateOnlyAtItsFirstWrite()
    {
        var client = factory.Admin();
        await using var scope = Scope();
        await using var held = scope.ServiceProvider.GetRequiredService<UnitOfWork>().Hold();

        // Another request writes while this one holds its writes but has not written yet.
        var other = Task.Run(() => client.PostAsJsonAsync("/api/v1/owners", new { name = "Not held up" }));
        (await other.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RefusesASecondHoldOfTheSameWrites()
    {
        await using var scope = Scope();
        var writes = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        await using var held = writes.Hold();

        var nested = () => writes.Hold();

        nested.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task EachRequestHasWritesOfItsOwn()
    {
        await using var scope = Scope();
        var writes = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        await using var held = writes.Hold();

        await using var other = Scope();
        other.ServiceProvider.GetRequiredService<UnitOfWork>().Should().NotBeSameAs(writes);
    }

    [Fact]
    public async Task ScopeEndRollsBackAHoldLeftOpen()
    {
        await using (var scope = Scope())
        {
            var writes = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            _ = writes.Hold();
            await InsertOwnerAsync(writes, "Left open");
        }

        (await CountAsync("Left open")).Should().Be(0);
        await factory.Services.GetRequiredService<Db>().WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO owners (name, created_at, updated_at) VALUES ('After the scope ended', '2026-03-10T02:00:00Z', '2026-03-10T02:00:00Z');",
            transaction: transaction), CancellationToken.None);
        (await CountAsync("After the scope ended")).Should().Be(1, "the scope's end freed the write gate");
    }

    [Fact]
    public async Task AHeldWriteThatMeetsAStorageFaultTurnsReadinessAwayUntilWritesCommitAgain()
    {
        // A host of its own: until a write commits again the fault is the whole service's state.
        await using var own = new TrackerFactory();
        var client = own.Anonymous();
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        await using (var outside = new SqliteConnection($"Data Source={own.DatabaseFile};Pooling=False"))
        {
            await outside.OpenAsync();
            await outside.ExecuteAsync("BEGIN IMMEDIATE;");
            await using (var scope = own.Services.CreateAsyncScope())
            {
                var writes = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
                await using var held = writes.Hold();

                var write = () => InsertOwnerAsync(writes, "Behind a held lock");

                (await write.Should().ThrowAsync<SqliteException>()).Which.SqliteErrorCode.Should().Be(5, "SQLITE_BUSY: another connection holds the write lock");
            }

            (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the held write's fault was recorded");
            await outside.ExecuteAsync("ROLLBACK;");
        }

        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "readiness commits a probe once the lock is free");
    }

    /// <summary>A request's services, as the pipeline and its handlers see them.</summary>
    private AsyncServiceScope Scope()
    {
        _ = factory.CreateClient();
        return factory.Services.CreateAsyncScope();
    }

    private static Task<int> InsertOwnerAsync(UnitOfWork writes, string name) => writes.WriteAsync((connection, transaction) => connection.ExecuteAsync(
        "INSERT INTO owners (name, created_at, updated_at) VALUES (@name, '2026-03-10T02:00:00Z', '2026-03-10T02:00:00Z');",
        new { name }, transaction), CancellationToken.None);

    private Task<long> CountAsync(string pattern) =>
        factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name LIKE @pattern", new { pattern });
}
