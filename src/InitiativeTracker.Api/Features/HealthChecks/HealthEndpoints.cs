using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.HealthChecks;

/// <summary>What a health check found: `live` (the process answers) or `ready` (and it can serve requests).</summary>
internal enum ServiceStatus
{
    Live,
    Ready,
}

internal sealed record HealthResponse(ServiceStatus Status);

internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Public, but a key in the query string is refused here too (QueryCredentials): a 400.
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous().DisableRateLimiting().ProducesValidationProblem();
        group.MapGet("/live", Live).WithName("live").WithSummary("The process is up");
        group.MapGet("/ready", Ready).WithName("ready").WithSummary("The database answers and writes commit")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse(ServiceStatus.Live));

    /// <summary>
    /// Not ready while shutting down (so load balancers drain), while writes cannot commit, or while the
    /// database does not answer. Whether writes commit is what the last write found (<see cref="StorageFaults"/>,
    /// no I/O); only while that was a fault does readiness try a small write of its own, which clears it.
    /// </summary>
    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Ready(
        Db db, StorageFaults faults, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Unavailable("The service is shutting down.");
        }

        if (faults.Current is { } fault && !await faults.ProbeAsync(db, ct))
        {
            return Unavailable(fault switch
            {
                StorageFault.Full => "Writes cannot commit: the storage is full.",
                StorageFault.Busy => "Writes cannot commit: another process holds the database's write lock.",
                _ => "Writes cannot commit: the storage fails to read or write.",
            });
        }

        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_versions;", cancellationToken: ct));
            return TypedResults.Ok(new HealthResponse(ServiceStatus.Ready));
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            return Unavailable("The database does not answer.");
        }
    }

    private static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service Unavailable", detail: detail, type: Infrastructure.Errors.ProblemTypes.Unavailable);
}
