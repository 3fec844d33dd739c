using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Idempotency;

public static class IdempotencyRegistration
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdempotencyOptions>()
            .Bind(configuration.GetSection(IdempotencyOptions.Section))
            .Validate(o => o.Retention > TimeSpan.Zero && o.Lease > TimeSpan.Zero && o.MaxWait >= TimeSpan.Zero,
                "Tracker:Idempotency durations must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IdempotencyStore>();
        return services;
    }

    /// <summary>After authentication and authorization: keys belong to the caller, and refused requests reserve nothing.</summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();

    /// <summary>
    /// Makes every POST of the group idempotent (<see cref="IdempotentEndpoint"/>, which the middleware acts
    /// on and which documents the header and its answers), except those marked <see cref="DisableIdempotencyAttribute"/>.
    /// </summary>
    public static TBuilder WithIdempotentPosts<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddMetadataWhere((methods, metadata) => methods.Contains(HttpMethods.Post) && !metadata.OfType<DisableIdempotencyAttribute>().Any(),
            IdempotentEndpoint.Instance);
}

/// <summary>
/// Marks a POST whose <c>Idempotency-Key</c> the middleware honours, and documents it: the header, the
/// replay mark on its success answers, its 400 (a malformed key), 409 (still running) and 422 (reused).
/// </summary>
public sealed class IdempotentEndpoint : IOperationDocumentation
{
    public static readonly IdempotentEndpoint Instance = new();

    private IdempotentEndpoint()
    {
    }

    public void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        operation.AddSharedParameter(SharedComponents.IdempotencyKeyParameter, context);
        operation.AddSuccessHeader(SharedComponents.ReplayedHeader, new OpenApiHeaderReference(SharedComponents.ReplayedHeader, context.Document));
        operation.AddProblem(StatusCodes.Status400BadRequest);
        operation.AddProblem(StatusCodes.Status409Conflict);
        operation.AddProblem(StatusCodes.Status422UnprocessableEntity);
    }
}
