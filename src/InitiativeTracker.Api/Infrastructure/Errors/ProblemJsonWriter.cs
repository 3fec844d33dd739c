using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// Writes a problem as <c>application/problem+json</c> when the framework's writer declines to: that one
/// honours <c>Accept</c>, so a client asking for <c>text/csv</c> got its errors as an empty body or as
/// <c>text/plain</c>. Every error has the one shape, whatever was asked for. Registered after
/// <c>AddProblemDetails</c>, it is consulted only when the framework's writer has declined.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, problem.GetType(), jsonOptions.Value.SerializerOptions, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
