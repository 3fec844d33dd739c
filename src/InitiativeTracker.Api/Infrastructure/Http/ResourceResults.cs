using System.Reflection;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>A resource with a version: its <c>ETag</c> is the quoted version (<see cref="Preconditions.ETag"/>).</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>
/// The answers that carry a resource: its status and body, its <c>ETag</c> when it is
/// <see cref="IVersioned"/>, and its <c>Location</c> when it was created. Each answer type documents the
/// headers it sets, so the document says what an endpoint returns from the type it returns.
/// </summary>
public static class Resource
{
    /// <summary>200 with the resource and its ETag. On a GET, If-None-Match revalidates it (304).</summary>
    public static Tagged<T> Ok<T>(T value)
        where T : IVersioned => new(value);

    /// <summary>201 with the created resource, its ETag and its Location.</summary>
    public static TaggedCreated<T> Created<T>(string location, T value)
        where T : IVersioned => new(location, value);

    /// <summary>
    /// 200 with a resource whose ETag is not its version (a check-in's fixed tag); the endpoint documents
    /// that header itself. On a GET, If-None-Match revalidates it (304).
    /// </summary>
    public static TaggedAs<T> Ok<T>(T value, string etag) => new(value, etag);

    /// <summary>201 with the created resource and its Location, no ETag.</summary>
    public static CreatedAt<T> CreatedAt<T>(string location, T value) => new(location, value);

    /// <summary>202 with queued work and the Location to follow it at.</summary>
    public static AcceptedAt<T> AcceptedAt<T>(string location, T value) => new(location, value);

    internal static void Declare<T>(EndpointBuilder builder, int status, bool etag, bool location)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(T), ["application/json"]));
        builder.Metadata.Add(new OperationDocumentation((operation, context) =>
        {
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (etag)
            {
                operation.AddSuccessHeader(SharedComponents.ETagHeader, new OpenApiHeaderReference(SharedComponents.ETagHeader, context.Document), s => s == code);
            }

            if (location)
            {
                operation.AddSuccessHeader(SharedComponents.LocationHeader, new OpenApiHeaderReference(SharedComponents.LocationHeader, context.Document), s => s == code);
            }

            if (etag && status == StatusCodes.Status200OK && HttpMethods.IsGet(context.Description.HttpMethod ?? ""))
            {
                ConditionalRequests.Describe(operation, context, new OpenApiHeaderReference(SharedComponents.ETagHeader, context.Document));
            }
        }));
    }
}

/// <summary>
/// What every resource answer does: write its status, headers and JSON body, and expose them to tests and
/// filters. A 200 with an ETag is a 304 without the body when a GET's If-None-Match names it (<see cref="ConditionalRequests"/>).
/// </summary>
public abstract class ResourceResult<T>(int status, T value, string? location, string? etag)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (etag is not null)
        {
            response.Headers.ETag = etag;
            if (status == StatusCodes.Status200OK && ConditionalRequests.NotModified(httpContext.Request, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
        }

        response.StatusCode = status;
        return response.WriteAsJsonAsync(value, TrackerJson.Options.GetTypeInfo(typeof(T)), contentType: null, httpContext.RequestAborted);
    }
}

public sealed class Tagged<T>(T value) : ResourceResult<T>(StatusCodes.Status200OK, value, null, Preconditions.ETag(value.Version)), IEndpointMetadataProvider
    where T : IVersioned
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Resource.Declare<T>(builder, StatusCodes.Status200OK, etag: true, location: false);
}

public sealed class TaggedCreated<T>(string location, T value) : ResourceResult<T>(StatusCodes.Status201Created, value, location, Preconditions.ETag(value.Version)), IEndpointMetadataProvider
    where T : IVersioned
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Resource.Declare<T>(builder, StatusCodes.Status201Created, etag: true, location: true);
}

public sealed class TaggedAs<T>(T value, string etag) : ResourceResult<T>(StatusCodes.Status200OK, value, null, etag), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Resource.Declare<T>(builder, StatusCodes.Status200OK, etag: false, location: false);
}

public sealed class CreatedAt<T>(string location, T value) : ResourceResult<T>(StatusCodes.Status201Created, value, location, null), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Resource.Declare<T>(builder, StatusCodes.Status201Created, etag: false, location: true);
}

public sealed class AcceptedAt<T>(string location, T value) : ResourceResult<T>(StatusCodes.Status202Accepted, value, location, null), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Resource.Declare<T>(builder, StatusCodes.Status202Accepted, etag: false, location: true);
}
