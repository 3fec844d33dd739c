namespace InitiativeTracker.Api.Infrastructure.Validation;

/// <summary>
/// A group of query parameters that endpoints bind on their own (<c>[AsParameters]</c>) beside their
/// request and hand on inside it, such as a list's paging. It has a validator of its own, which
/// <see cref="Mediator.ValidationBehavior{TRequest,TResponse}"/> runs with the request's, and which
/// the OpenAPI document reads for these parameters.
/// </summary>
public interface IRequestPart;
