using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// What a 415 tells the client to send: the media types the operation at the request's path and method
/// reads (<c>application/json or text/csv</c> for the import). Routing refuses another Content-Type
/// through an endpoint of its own that does not say what would have been read, so the operation's
/// endpoints are found again by route. Only a refused request pays for the search.
/// </summary>
public static class AcceptedMediaTypes
{
    public static string Detail(HttpContext context)
    {
        var types = For(context);
        return types.Count == 0
            ? "Send the request body as application/json."
            : $"Send the request body as {string.Join(" or ", types)}.";
    }

    private static List<string> For(HttpContext context)
    {
        List<string> types = [];
        var request = context.Request;
        foreach (var endpoint in context.RequestServices.GetService<EndpointDataSource>()?.Endpoints.OfType<RouteEndpoint>() ?? [])
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { ContentTypes.Count: > 0 } accepts
                || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) != true
                || !new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []).TryMatch(request.Path, []))
            {
                continue;
            }

            types.AddRange(accepts.ContentTypes.Where(t => !types.Contains(t, StringComparer.OrdinalIgnoreCase)));
        }

        return types;
    }
}
