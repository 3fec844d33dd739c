using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>
/// JSON merge patch (RFC 7396) of an initiative: the fields sent replace the current ones (null clears
/// an optional field), everything else stays. The merged fields are validated and written exactly as
/// a PUT, in the same transaction as the read they were merged onto, so a concurrent write can
/// neither be overwritten nor make the patch fail.
/// </summary>
internal sealed record PatchInitiativeCommand(long Id, JsonObject Patch, long[]? IfMatch) : IRequest<InitiativeResponse?>;

internal sealed class PatchInitiativeHandler(UnitOfWork writes, InitiativeEditor editor, IValidator<UpdateInitiativeCommand> validator)
    : IRequestHandler<PatchInitiativeCommand, InitiativeResponse?>
{
    public Task<InitiativeResponse?> Handle(PatchInitiativeCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
                new CommandDefinition(InitiativeRow.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            var merged = Merge(before, command.Patch) with { Id = command.Id, IfMatch = command.IfMatch };
            return await editor.ApplyAsync(connection, transaction, before, merged, validator, cancellationToken);
        }, cancellationToken);

    private static UpdateInitiativeCommand Merge(InitiativeRow current, JsonObject patch)
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

        foreach (var (name, value) in WellFormed(patch))
        {
            document[name] = value;
        }

        // A type error in the patch surfaces as a JsonException with the field's path: a 400 naming it.
        return document.Deserialize<UpdateInitiativeCommand>(TrackerJson.Options)!;
    }

    /// <summary>
    /// The patch's properties, copied. A bound patch keeps its text escaped until it is read, so a lone
    /// surrogate ("\ud800") surfaces only here, as an <see cref="InvalidOperationException"/> without a
    /// JSON path: answer it as the 400 it is, naming the field.
    /// </summary>
    private static List<(string Name, JsonNode? Value)> WellFormed(JsonObject patch)
    {
        List<KeyValuePair<string, JsonNode?>> properties;
        try
        {
            properties = [.. patch];
        }
        catch (InvalidOperationException)
        {
            throw Invalid.Field("body", "A property name is not well-formed Unicode text.");
        }

        return properties.ConvertAll(p =>
        {
            try
            {
                return (p.Key, p.Value is null ? null : JsonNode.Parse(p.Value.ToJsonString()));
            }
            catch (InvalidOperationException)
            {
                throw Invalid.Field(p.Key, $"'{p.Key}' is not well-formed Unicode text.");
            }
        });
    }
}

internal static class PatchInitiative
{
    private const string MergePatchSchema = nameof(UpdateInitiativeCommand) + "MergePatch";

    public static void Map(RouteGroupBuilder group) => group.MapPatch("/{id:long}", Handle)
        .WithName("patchInitiative")
        .WithSummary("Change some of an initiative's descriptive fields (JSON merge patch)")
        .RequireAuthorization(Policies.Write)
        .Accepts<UpdateInitiativeCommand>("application/merge-patch+json", "application/json")
        .AddOpenApiOperationTransformer(DescribeBodyAsync);

    /// <summary>
    /// The body is read as a raw JSON object, which says nothing to a client: it is documented as a merge
    /// patch of <see cref="UpdateInitiativeCommand"/>, that type's schema (registered by the PUT of the
    /// same path, mapped first) with nothing required.
    /// </summary>
    private static Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.TryGetValue(nameof(UpdateInitiativeCommand), out var updated) != true
            || updated!.CreateShallowCopy() is not OpenApiSchema patch || operation.RequestBody?.Content is not { } content)
        {
            throw new InvalidOperationException($"Map {nameof(UpdateInitiative)} before {nameof(PatchInitiative)}: the patch is documented from its schema.");
        }

        patch.Required = null;
        patch.Examples = [new JsonObject { ["description"] = "With three partner universities", ["taskForceId"] = null }];
        patch.Description = "A JSON merge patch (RFC 7396): only the fields sent change; null clears an optional field. "
            + "The result must satisfy the rules of a full update.";
        document.AddComponent(MergePatchSchema, patch);
        foreach (var media in content.Values)
        {
            media.Schema = new OpenApiSchemaReference(MergePatchSchema, document);
        }

        // The schema the generator made for the raw body is referred to by nothing else.
        document.Components!.Schemas!.Remove(nameof(JsonElement));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The patch binds as a <see cref="JsonElement"/>, which the serializer refuses with a JSON error when a
    /// member is named twice (as a <see cref="JsonObject"/> it would throw an <see cref="ArgumentException"/>,
    /// a 500); a member named twice in another case (<c>description</c>, <c>Description</c>) is refused here.
    /// </summary>
    private static async Task<Results<Tagged<InitiativeResponse>, NotFound>> Handle(
        long id, JsonElement patch, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw Invalid.Field("body", "Send a JSON object of the fields to change, such as {\"description\": \"…\"}.");
        }

        DuplicateMembers.Refuse(JsonMarshal.GetRawUtf8Value(patch));
        var initiative = await mediator.Send(new PatchInitiativeCommand(id, JsonObject.Create(patch)!, ifMatch.Versions), ct);
        if (initiative is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(initiative);
    }
}
