using System.Reflection;
using MediatR;

namespace InitiativeTracker.Api.Infrastructure.Mediator;

public static class MediatorRegistration
{
    /// <summary>
    /// MediatR 5 has no DI package: register its <see cref="ServiceFactory"/>, the mediator, every
    /// request handler in this assembly and the pipeline behaviours (outermost first).
    /// </summary>
    public static IServiceCollection AddMediator(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, MediatR.Mediator>();

        var handlerInterface = typeof(IRequestHandler<,>);
        foreach (var type in Assembly.GetExecutingAssembly().GetTypes().Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == handlerInterface))
            {
                services.AddScoped(contract, type);
            }
        }

        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        return services;
    }
}
