using System.Reflection;
using FluentValidation;
using FluentValidation.Results;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;

namespace InitiativeTracker.Api.Infrastructure.Mediator;

/// <summary>
/// Runs every validator of the request, and of each <see cref="IRequestPart"/> it holds, before its
/// handler; all their failures together throw one <see cref="ValidationException"/>.
/// </summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators, IServiceProvider services)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly PropertyInfo[] s_parts = typeof(TRequest)
        .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(p => typeof(IRequestPart).IsAssignableFrom(p.PropertyType))
        .ToArray();

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<ValidationFailure>();
        foreach (var part in s_parts)
        {
            if (part.GetValue(request) is { } value
                && Validators.For(services, part.PropertyType) is { } validator)
            {
                failures.AddRange((await validator.ValidateAsync(Validators.Context(part.PropertyType, value), cancellationToken)).Errors);
            }
        }

        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return await next();
    }
}
