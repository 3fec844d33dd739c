using System.Globalization;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;

namespace InitiativeTracker.Api.Features.ApiKeys;

/// <summary>
/// The <c>create-key</c> command-line verb, so a fresh install can mint its first admin key without any
/// configuration: <c>create-key --name &lt;name&gt; --role &lt;role&gt; [--owner-id N] [--expires-at &lt;UTC timestamp&gt;]</c>.
/// It migrates the configured database, creates the key through the same use case as
/// <c>POST /api/v1/api-keys</c> (audited as <c>system</c>), writes the secret and nothing else to stdout,
/// and exits 0; anything wrong is a message on stderr and a non-zero exit. Other arguments
/// (<c>--ConnectionStrings:Tracker=…</c>) are left to the host's configuration.
/// </summary>
internal sealed class CreateKeyVerb : ICommandLineVerb
{
    public const string Verb = "create-key";
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    public const string Usage =
        "Usage: create-key --name <name> --role <admin|lead|coordinator|viewer> [--owner-id <owner id, required for lead>] [--expires-at <UTC timestamp, e.g. 2027-01-01T00:00:00Z>]";

    private readonly CreateApiKeyCommand? _command;
    private readonly string? _error;

    private CreateKeyVerb(CreateApiKeyCommand? command, string? error, string[] hostArgs)
    {
        _command = command;
        _error = error;
        HostArgs = hostArgs;
    }

    /// <summary>The arguments that are not the verb's, for the host's configuration.</summary>
    public string[] HostArgs { get; }

    /// <summary>The verb the arguments ask for, or null when they ask to serve.</summary>
    public static CreateKeyVerb? FromArgs(string[] args)
    {
        if (args.Length == 0 || args[0] != Verb)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostArgs = new List<string>();
        string[] options = ["--name", "--role", "--owner-id", "--expires-at"];
        for (var i = 1; i < args.Length; i++)
        {
            var (option, inline) = args[i].Split('=', 2) is [var o, var v] ? (o, v) : (args[i], null);
            if (!options.Contains(option))
            {
                hostArgs.Add(args[i]);
                continue;
            }

            var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value) || value.StartsWith("--", StringComparison.Ordinal))
            {
                return Invalid($"{option} needs a value.", hostArgs);
            }

            values[option] = value;
        }

        if (!values.TryGetValue("--name", out var name))
        {
            return Invalid("--name is required.", hostArgs);
        }

        if (!values.TryGetValue("--role", out var roleText) || ParseRole(roleText) is not { } role)
        {
            return Invalid("--role is required: admin, lead, coordinator or viewer.", hostArgs);
        }

        long? ownerId = null;
        if (values.TryGetValue("--owner-id", out var ownerText))
        {
            if (!long.TryParse(ownerText, NumberStyles.None, CultureInfo.InvariantCulture, out var owner))
            {
                return Invalid("--owner-id must be an owner's id (a whole number).", hostArgs);
            }

            ownerId = owner;
        }

        DateTimeOffset? expiresAt = null;
        if (values.TryGetValue("--expires-at", out var expiresText))
        {
            if (!Rfc3339.TryParse(expiresText, out var expires))
            {
                return Invalid("--expires-at must be a timestamp with an offset, such as 2027-01-01T00:00:00Z or 2027-01-01T08:00:00+08:00.", hostArgs);
            }

            expiresAt = expires;
        }

        var command = new CreateApiKeyCommand { Name = TextRules.Normalize(name), Role = role, OwnerId = ownerId, ExpiresAt = expiresAt };
        return new CreateKeyVerb(command, null, [.. hostArgs]);
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (_command is null)
        {
            await error.WriteLineAsync(_error);
            await error.WriteLineAsync(Usage);
            return BadUsage;
        }

        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        await using var scope = services.CreateAsyncScope();
        try
        {
            var key = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(_command, ct);
            await output.WriteLineAsync(key.Key);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Created {key.Role.ToRole()} key '{key.Name}' (id {key.Id}, prefix {key.Prefix}). Store it now: it is not shown again."));
            return Succeeded;
        }
        catch (ValidationException e)
        {
            foreach (var failure in e.Errors)
            {
                await error.WriteLineAsync($"{ProblemExceptionHandler.CamelCasePath(failure.PropertyName)}: {failure.ErrorMessage}");
            }

            return Failed;
        }
        catch (ProblemException e)
        {
            await error.WriteLineAsync(e.Message);
            return Failed;
        }
    }

    private static CreateKeyVerb Invalid(string error, List<string> hostArgs) => new(null, error, [.. hostArgs]);

    private static ApiKeyRole? ParseRole(string text) =>
        Enum.GetValues<ApiKeyRole>().Select(r => (ApiKeyRole?)r).FirstOrDefault(r => r!.Value.ToRole() == text);
}
