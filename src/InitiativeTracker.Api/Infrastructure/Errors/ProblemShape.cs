using System.Diagnostics;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Security;
using Microsoft.AspNetCore.WebUtilities;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>Gives every problem the same shape: a stable type, a title, a detail and the traceId.</summary>
public static class ProblemShape
{
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        var frameworkType = string.IsNullOrEmpty(problem.Type) || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal);
        if (status == StatusCodes.Status400BadRequest && frameworkType && context.Exception is null
            && UnreadableQueryParameter.Errors(context.HttpContext, context.HttpContext.GetEndpoint()) is { } parameters)
        {
            problem.Type = ProblemTypes.Validation;
            problem.Title = ProblemExceptionHandler.ValidationTitle;
            problem.Detail = ProblemExceptionHandler.ValidationDetail;
            problem.Extensions["errors"] = parameters;
        }
        else if (frameworkType)
        {
            problem.Type = ProblemTypes.ForStatus(status);
        }

        problem.Title ??= status == StatusCodes.Status413PayloadTooLarge ? RequestLimits.TooLargeTitle : ReasonPhrases.GetReasonPhrase(status);
        problem.Detail ??= status switch
        {
            404 => "No resource exists at this address.",
            405 => "This resource does not support that method.",
            413 => RequestLimits.TooLargeDetail(context.HttpContext),
            414 => "The request's address is longer than this API accepts.",
            415 => AcceptedMediaTypes.Detail(context.HttpContext),
            _ => problem.Title,
        };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    }
}
