using InitiativeTracker.Api.Infrastructure.Errors;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>
/// Refuses a request whose query string carries what looks like a credential (<see cref="Names"/>, in any
/// case), on every route and before authentication: a key in a URL is kept by proxies, browser history and
/// access logs. The answer is a 400 naming the parameter; the key itself is never echoed.
/// </summary>
public static class QueryCredentials
{
    /// <summary>Query parameter names that carry credentials in other APIs; none is a parameter of this one.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["api_key", "apikey", "api-key", "x-api-key", "key", "access_token", "token", "authorization"];

    private static readonly HashSet<string> s_names = new(Names, StringComparer.OrdinalIgnoreCase);

    public static bool IsCredential(string parameter) => s_names.Contains(parameter);

    public static string Message(string parameter) =>
        $"'{parameter}' looks like a credential: send the API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>', never in the URL.";

    public static IApplicationBuilder UseQueryCredentialRefusal(this IApplicationBuilder app) =>
        app.UseMiddleware<QueryCredentialsMiddleware>();
}

internal sealed class QueryCredentialsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var named = context.Request.QueryString.HasValue
            ? context.Request.Query.Keys.Where(QueryCredentials.IsCredential).ToList()
            : [];
        if (named.Count == 0)
        {
            return next(context);
        }

        return TypedResults.Problem(Invalid.Keys(named.ToDictionary(name => name, name => new[] { QueryCredentials.Message(name) }),
            "API keys are refused in the query string. Treat a key sent in a URL as exposed: revoke it and create another.").Problem).ExecuteAsync(context);
    }
}
