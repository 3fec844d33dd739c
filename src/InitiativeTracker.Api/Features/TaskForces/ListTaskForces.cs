using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.TaskForces;

internal sealed record ListTaskForcesQuery : ListQuery, IRequest<Paged<TaskForceResponse>>
{
    /// <summary>Only the task forces this owner leads.</summary>
    [FromQuery(Name = "leadId")]
    public long? LeadId { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["name"] = "name COLLATE NOCASE",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
    }, "name COLLATE NOCASE ASC, id ASC");
}

internal sealed class ListTaskForcesValidator : AbstractValidator<ListTaskForcesQuery>
{
    public ListTaskForcesValidator()
    {
        RuleFor(q => q.Sort).SortableBy(ListTaskForcesQuery.Sortable);
        RuleFor(q => q.LeadId).Id();
    }
}

internal sealed class ListTaskForcesHandler(Db db) : IRequestHandler<ListTaskForcesQuery, Paged<TaskForceResponse>>
{
    private const string Where = "WHERE deleted_at IS NULL AND (@LeadId IS NULL OR lead_id = @LeadId)";

    public Task<Paged<TaskForceResponse>> Handle(ListTaskForcesQuery query, CancellationToken cancellationToken) =>
        db.PageAsync<TaskForceResponse>(TaskForceResponse.Columns, $"task_forces {Where}", ListTaskForcesQuery.Sortable.OrderBy(query.Sort),
            new { query.LeadId }, query, cancellationToken);
}

internal static class ListTaskForces
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listTaskForces")
        .WithSummary("List task forces");

    private static async Task<Ok<Paged<TaskForceResponse>>> Handle([AsParameters] ListTaskForcesQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
