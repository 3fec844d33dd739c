using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Features.CheckIns;

internal sealed record GetCheckInQuery(long InitiativeId, long CheckInId) : IRequest<CheckInResponse?>;

internal sealed class GetCheckInHandler(Db db) : IRequestHandler<GetCheckInQuery, CheckInResponse?>
{
    private const string Sql = $"SELECT {CheckInRow.Columns} FROM check_ins WHERE id = @CheckInId AND initiative_id = @InitiativeId;";

    public async Task<CheckInResponse?> Handle(GetCheckInQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CheckInRow>(new CommandDefinition(Sql, query, cancellationToken: cancellationToken));
        return row?.ToResponse();
    }
}

internal static class GetCheckIn
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{checkInId:long}", Handle)
        .WithName("getCheckIn")
        .WithSummary("Get one check-in of an initiative")
        .WithMetadata(new OperationDocumentation((operation, context) =>
        {
            // A check-in never changes: its ETag is fixed, of a form of its own so it is never taken for a version.
            var etag = new OpenApiHeader
            {
                Description = "The check-in's tag, fixed for good since a check-in never changes: \"c\" and its id, quoted. It is not a version and "
                    + "not the initiative's ETag (If-Match on a check-in POST names the initiative's). Send it as If-None-Match to revalidate.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = JsonValue.Create("\"c42\""),
            };
            operation.AddSuccessHeader(SharedComponents.ETagHeader, etag, s => s == "200");
            ConditionalRequests.Describe(operation, context, etag);
        }));

    private static async Task<Results<TaggedAs<CheckInResponse>, NotFound>> Handle(
        long id, long checkInId, IMediator mediator, CancellationToken ct)
    {
        if (await mediator.Send(new GetCheckInQuery(id, checkInId), ct) is not { } checkIn)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(checkIn, CheckInEndpoints.ETagOf(checkIn.Id));
    }
}
