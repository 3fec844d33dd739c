using FluentValidation;

namespace InitiativeTracker.Api.Infrastructure.Validation;

/// <summary>Validators looked up and run by type, for code that knows the type only at run time.</summary>
internal static class Validators
{
    /// <summary>The validator registered for <paramref name="type"/>, when there is one (validators are singletons: any provider will do).</summary>
    public static IValidator? For(IServiceProvider services, Type type) =>
        services.GetService(typeof(IValidator<>).MakeGenericType(type)) as IValidator;

    /// <summary>A context in which a non-generic <see cref="IValidator"/> validates <paramref name="instance"/> as a <paramref name="type"/>.</summary>
    public static IValidationContext Context(Type type, object instance) =>
        (IValidationContext)Activator.CreateInstance(typeof(ValidationContext<>).MakeGenericType(type), instance)!;
}
