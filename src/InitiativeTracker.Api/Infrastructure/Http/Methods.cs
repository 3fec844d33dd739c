using Microsoft.AspNetCore.Authorization;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// HEAD of every GET route answers as the GET would, without the body (RFC 9110 §9.3.2): the request is
/// routed and handled as a GET, and what the handler writes is discarded. The headers are the GET's, so a
/// streamed answer (JSON, CSV) has no <c>Content-Length</c> here either: RFC 9110 lets a HEAD leave out
/// what is known only by generating the content. It runs before routing, and outside the error handlers,
/// so that a HEAD that fails gets the problem's status and headers and no body either. The OpenAPI
/// document lists the GETs only.
/// </summary>
public sealed class HeadRequestMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsHead(request.Method))
        {
            await next(context);
            return;
        }

        var response = context.Response;
        var body = response.Body;
        request.Method = HttpMethods.Get;
        response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            request.Method = HttpMethods.Head;
            response.Body = body;
        }
    }
}

/// <summary>
/// A method a route does not take is a 405 with <c>Allow</c> for every caller. Routing answers it through
/// an endpoint of its own that carries no metadata, so the fallback authorization policy would turn it
/// into a 401 for a caller without a key, even on the public health endpoints. Which methods a route takes
/// is in the public OpenAPI document, so saying it reveals nothing. <c>Allow</c> names HEAD wherever it
/// names GET, as <see cref="HeadRequestMiddleware"/> serves it.
/// </summary>
public sealed class MethodNotAllowedMiddleware(RequestDelegate next)
{
    /// <summary>
    /// How routing's rejection endpoint (HttpMethodMatcherPolicy's, internal) can be told apart: it is not a
    /// RouteEndpoint, and has this name. Should a framework update rename it, HeadAndMethodTests'
    /// AnswersAWrongMethodWithMethodNotAllowedBeforeAskingForAKey fails.
    /// </summary>
    private const string RejectionName = "405 HTTP Method Not Supported";

    private static readonly EndpointMetadataCollection s_public = new(new AllowAnonymousAttribute());

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { DisplayName: RejectionName, RequestDelegate: { } reject } endpoint and not RouteEndpoint)
        {
            context.SetEndpoint(new Endpoint(async c =>
            {
                await reject(c);
                var methods = c.Response.Headers.Allow.ToString().Split(',', StringSplitOptions.TrimEntries).ToList();
                if (methods.IndexOf(HttpMethods.Get) is var get and >= 0 && !methods.Contains(HttpMethods.Head))
                {
                    methods.Insert(get + 1, HttpMethods.Head);
                    c.Response.Headers.Allow = string.Join(", ", methods);
                }
            }, s_public, endpoint.DisplayName));
        }

        return next(context);
    }
}
