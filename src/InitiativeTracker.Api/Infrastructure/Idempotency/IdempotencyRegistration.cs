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
}
