using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>The outbox, newest first.</summary>
internal sealed record ListEmailOutboxQuery : ListQuery, IRequest<Paged<EmailOutboxResponse>>
{
    /// <summary>Only emails in this status: pending, sent or failed.</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary>Only emails of this kind: reminder, digest or test.</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }
}

internal sealed class ListEmailOutboxValidator : AbstractValidator<ListEmailOutboxQuery>
{
    public ListEmailOutboxValidator()
    {
        RuleFor(q => q.Status).OneOf<ListEmailOutboxQuery, EmailStatus>();
        RuleFor(q => q.Kind).OneOf<ListEmailOutboxQuery, EmailKind>();
    }
}

internal sealed class ListEmailOutboxHandler(Db db) : IRequestHandler<ListEmailOutboxQuery, Paged<EmailOutboxResponse>>
{
    private const string Where = "WHERE (@Status IS NULL OR status = @Status) AND (@Kind IS NULL OR kind = @Kind)";

    public async Task<Paged<EmailOutboxResponse>> Handle(ListEmailOutboxQuery query, CancellationToken cancellationToken) =>
        (await db.PageAsync<EmailOutboxRow>(EmailOutboxRow.Columns, $"email_outbox {Where}", "id DESC",
            new { query.Status, query.Kind }, query, cancellationToken)).Select(r => r.ToResponse());
}

internal static class ListEmailOutbox
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/outbox", Handle)
        .WithName("listEmailOutbox")
        .WithSummary("List the email outbox, newest first, with each email's status, attempts and the server's last answer")
        .WithDescription("`status` (pending, sent, failed) and `kind` (reminder, digest, test) narrow the list.");

    private static async Task<Ok<Paged<EmailOutboxResponse>>> Handle(
        [AsParameters] ListEmailOutboxQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}

internal sealed record GetEmailOutboxEntryQuery(long Id) : IRequest<EmailOutboxResponse?>;

internal sealed class GetEmailOutboxEntryHandler(Db db) : IRequestHandler<GetEmailOutboxEntryQuery, EmailOutboxResponse?>
{
    private const string Sql = $"SELECT {EmailOutboxRow.Columns} FROM email_outbox WHERE id = @Id;";

    public async Task<EmailOutboxResponse?> Handle(GetEmailOutboxEntryQuery query, CancellationToken cancellationToken) =>
        (await db.QueryByIdAsync<EmailOutboxRow>(Sql, query.Id, cancellationToken))?.ToResponse();
}

internal static class GetEmailOutboxEntry
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/outbox/{id:long}", Handle)
        .WithName("getEmailOutboxEntry")
        .WithSummary("Get one email of the outbox");

    private static async Task<Results<Ok<EmailOutboxResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new GetEmailOutboxEntryQuery(id), ct) is { } entry ? TypedResults.Ok(entry) : TypedResults.NotFound();
}
