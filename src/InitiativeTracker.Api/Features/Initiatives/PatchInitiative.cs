using System.Text.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>
/// JSON merge patch (RFC 7396) of an initiative: the fields sent replace the current ones (null clears
/// an optional field), everything else stays. It is carried out as a PUT of the merged fields, so
/// the same validation and rules apply.
/// </summary>
internal sealed record PatchInitiativeCommand(long Id, JsonObject Patch, long[]? IfMatch) : IRequest<InitiativeResponse?>;

internal sealed class PatchInitiativeHandler(IMediator mediator) : IRequestHandler<PatchInitiativeCommand, InitiativeResponse?>
{
    /// <summary>Without If-Match a concurrent write between our read and our write is retried, not reported.</summary>
    private const int Attempts = 3;

    public async Task<InitiativeResponse?> Handle(PatchInitiativeCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await mediator.Send(new GetInitiativeQuery(command.Id), cancellationToken);
            if (current is null)
            {
                return null;
            }

            var merged = Merge(current, command.Patch);
            try
            {
                return await mediator.Send(merged with { Id = command.Id, IfMatch = command.IfMatch ?? [current.Version] }, cancellationToken);
            }
            catch (ProblemException e) when (e.Status == StatusCodes.Status412PreconditionFailed && command.IfMatch is null && attempt < Attempts)
            {
                // Someone else wrote in between: merge onto their version.
            }
        }
    }

    private static UpdateInitiativeCommand Merge(InitiativeResponse current, JsonObject patch)
    {
        var document = JsonSerializer.SerializeToNode(new UpdateInitiativeCommand
        {
            DirectionId = current.DirectionId,
            OwnerId = current.OwnerId,
            TaskForceId = current.TaskForceId,
            Title = current.Title,
            Description = current.Description,
            StartDate = current.StartDate,
        }, TrackerJson.Options)!.AsObject();

        foreach (var (name, value) in patch)
        {
            document[name] = value?.DeepClone();
        }

        // A type error in the patch surfaces as a JsonException with the field's path: a 400 naming it.
        return document.Deserialize<UpdateInitiativeCommand>(TrackerJson.Options)!;
    }
}

internal static class PatchInitiative
{
    public static void Map(RouteGroupBuilder group) => group.MapPatch("/{id:long}", Handle)
        .WithName("patchInitiative")
        .WithSummary("Change some of an initiative's descriptive fields (JSON merge patch)")
        .RequireAuthorization(Policies.Write)
        .Accepts<UpdateInitiativeCommand>("application/merge-patch+json", "application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<Results<Ok<InitiativeResponse>, NotFound>> Handle(
        long id, JsonObject patch, [FromHeader(Name = "If-Match")] string? ifMatch,
        IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var initiative = await mediator.Send(new PatchInitiativeCommand(id, patch, Preconditions.IfMatch(ifMatch)), ct);
        if (initiative is null)
        {
            return TypedResults.NotFound();
        }

        response.SetETag(initiative.Version);
        return TypedResults.Ok(initiative);
    }
}
