namespace InitiativeTracker.Api.Infrastructure;

/// <summary>
/// Where the service looks for <c>appsettings.json</c> and resolves a relative database path: the
/// directory it was deployed to, wherever it is started from (<c>cd /srv &amp;&amp; dotnet /opt/tracker/InitiativeTracker.Api.dll</c>
/// reads <c>/opt/tracker/appsettings.json</c>). The framework's default, the current directory, made a
/// service started elsewhere run without its settings and log with the framework's defaults.
/// </summary>
public static class ContentRoot
{
    /// <summary>
    /// The content root given with <c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c> or
    /// <c>DOTNET_CONTENTROOT</c> (a relative one against the current directory, as a shell user means
    /// it), else the application's own directory.
    /// </summary>
    public static string For(string[] args)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        return string.IsNullOrEmpty(given) ? AppContext.BaseDirectory : Path.GetFullPath(given);
    }
}
