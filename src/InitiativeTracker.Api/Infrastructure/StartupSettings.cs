using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure;

/// <summary>
/// Checks every setting validated on start (<c>ValidateOnStart</c>) before the host starts. Left to the
/// host, a bad setting is logged as "Hosting failed to start" with a stack trace and then aborts the
/// process as an unhandled exception (exit code 134); checked first, it is one line per problem on
/// stderr and exit code <see cref="ExitCode"/>.
/// </summary>
public static class StartupSettings
{
    /// <summary>The exit code of a start refused for its configuration (or because another process serves its database, <see cref="Database.DatabaseLock"/>).</summary>
    public const int ExitCode = 1;

    /// <summary>What is wrong with the configuration, each message naming its key; empty when nothing is.</summary>
    public static IReadOnlyList<string> Failures(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return [.. e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures)];
        }
    }

    /// <summary>Writes the failures, if any, to <paramref name="error"/>; whether the service may start.</summary>
    public static bool Check(IServiceProvider services, TextWriter error)
    {
        var failures = Failures(services);
        foreach (var failure in failures)
        {
            error.WriteLine($"Invalid configuration: {failure}");
        }

        return failures.Count == 0;
    }
}
