using System.Text.Json;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace InitiativeTracker.Cli.Commands;

/// <summary>A refused request on standard error: the problem's title and status, its detail, and every field error.</summary>
internal static class Problems
{
    public static int Report(ApiException exception, TextWriter error)
    {
        var status = exception.ResponseStatusCode;
        var (title, detail, errors, notListed) = exception switch
        {
            HttpValidationProblemDetails v => (v.Title, v.Detail, v.Errors as IParsable, v.ErrorsNotListed),
            ProblemDetails p => (p.Title, p.Detail, p.Errors as IParsable, p.ErrorsNotListed),
            _ => (null, null, null, null),
        };

        error.WriteLine($"tracker: {title ?? "The request failed"} ({status})");
        if (!string.IsNullOrWhiteSpace(detail))
        {
            error.WriteLine(detail);
        }

        if (errors is not null && Json.Of(errors) is { ValueKind: JsonValueKind.Object } fields)
        {
            foreach (var field in fields.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(m => m.ToString())
                    : [field.Value.ToString()];
                foreach (var message in messages)
                {
                    error.WriteLine($"  {field.Name}: {message}");
                }
            }
        }

        if (notListed is > 0)
        {
            error.WriteLine($"  ... and {notListed} more fields in error, not listed.");
        }

        return ExitCodes.ForStatus(status);
    }
}
