using InitiativeTracker.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Xunit.Sdk;

namespace InitiativeTracker.Client.Tests.Infrastructure;

internal static class Steps
{
    /// <summary>
    /// One call through the generated client, which must succeed with a body. A problem answer fails the
    /// test with the step's name, the status and the problem itself (detail and field errors), not with
    /// the exception's type alone.
    /// </summary>
    public static async Task<T> Step<T>(string step, Func<Task<T?>> call)
        where T : class
    {
        try
        {
            return await call() ?? throw new XunitException($"{step}: the response had no body.");
        }
        catch (HttpValidationProblemDetails problem)
        {
            var errors = problem.Errors?.AdditionalData.Select(field => $"{field.Key}: {Text(field.Value)}") ?? [];
            throw new XunitException($"{step}: {problem.ResponseStatusCode} {problem.Title} {problem.Detail} {string.Join("; ", errors)}");
        }
        catch (ProblemDetails problem)
        {
            throw new XunitException($"{step}: {problem.ResponseStatusCode} {problem.Title} {problem.Detail}");
        }
        catch (ApiException e)
        {
            throw new XunitException($"{step}: {e.ResponseStatusCode} {e.Message}");
        }
    }

    /// <summary>A problem's field messages, which Kiota keeps as untyped JSON.</summary>
    private static string Text(object value) => value switch
    {
        UntypedArray array => string.Join(" ", array.GetValue().Select(Text)),
        UntypedString text => text.GetValue() ?? "",
        _ => value.ToString() ?? "",
    };
}
