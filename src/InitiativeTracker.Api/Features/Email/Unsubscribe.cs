using Dapper;
using InitiativeTracker.Api.Features.Owners;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>The one-click unsubscribe of RFC 8058: the signed token in the path is the only credential.</summary>
internal sealed record UnsubscribeCommand(string Token) : IRequest<Unit>;

internal sealed class UnsubscribeHandler(UnsubscribeLinks links, UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<UnsubscribeCommand, Unit>
{
    private const string ReminderOffSql = """
        UPDATE owners SET email_reminders = 0, version = version + 1, updated_at = @Now
        WHERE id = @Id AND email_reminders = 1 AND deleted_at IS NULL;
        """;

    public async Task<Unit> Handle(UnsubscribeCommand command, CancellationToken cancellationToken)
    {
        // Verified before the write: the key may be read (or made, once) through the write gate.
        var target = await links.VerifyAsync(command.Token, cancellationToken)
            ?? throw new ProblemException(StatusCodes.Status404NotFound, ProblemTypes.UnsubscribeLinkInvalid, "Unknown unsubscribe link",
                "This unsubscribe link is not one this service made: it may have been altered or cut short. Use the link from the email as it is.");

        // Unsubscribing what is already off (or gone) succeeds: a mail client may send the POST more than once.
        await writes.WriteAsync(async (connection, transaction) =>
        {
            if (!target.IsOwner)
            {
                return await EmailSubscriptionRemoval.RemoveAsync(connection, transaction, audit, target.Id, null, cancellationToken);
            }

            var before = await connection.QuerySingleOrDefaultAsync<OwnerResponse>(
                new CommandDefinition(OwnerResponse.SelectById, new { target.Id }, transaction, cancellationToken: cancellationToken));
            if (before is not { EmailReminders: true })
            {
                return false;
            }

            var now = clock.UtcNow;
            await connection.ExecuteAsync(new CommandDefinition(ReminderOffSql, new { target.Id, Now = now }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Owner, target.Id, AuditAction.Update, before,
                before with { EmailReminders = false, Version = before.Version + 1, UpdatedAt = now }, cancellationToken);
            return true;
        }, cancellationToken);
        return Unit.Value;
    }
}

internal static class Unsubscribe
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/unsubscribe/{token}", Handle)
        .WithName("unsubscribeEmail")
        .WithSummary("One-click unsubscribe (RFC 8058), without a key: the link of an email's List-Unsubscribe header")
        .WithDescription("The token in the path is signed by the service: an owner's link turns that owner's reminders off (`emailReminders` "
            + "false), a digest's link deletes that subscription. The body (`List-Unsubscribe=One-Click`, as mail programs send it) is not read. "
            + "Unsubscribing again answers 204 too. A token the service did not sign is a 404 problem of type unsubscribe-link-invalid and changes nothing. "
            + "A GET of the link answers 405: only the POST unsubscribes, so a link scanner that follows links cannot.")
        .AllowAnonymous()
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<NoContent> Handle(string token, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new UnsubscribeCommand(token), ct);
        return TypedResults.NoContent();
    }
}
