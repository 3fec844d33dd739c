using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Http;
using MimeKit;

namespace InitiativeTracker.Api.Infrastructure.Validation;

/// <summary>
/// What an email address field must hold to be written to: one bare address (local@domain) as MimeKit,
/// which sends it, parses it, with no display name, comment, route or white space, and a domain
/// without a trailing dot. Checked when an owner or an email subscription is saved, so a reminder never
/// fails on an address the service accepted.
/// </summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    private static readonly ParserOptions s_strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    /// <summary>Characters of display names, groups, comments and lists, never of one bare address.</summary>
    private static readonly char[] s_notInABareAddress = ['<', '>', '(', ')', ',', ';', '"'];

    public static bool IsDeliverable(string? address) =>
        address is { Length: > 0 and <= MaxLength }
        && !address.Any(char.IsWhiteSpace)
        && address.IndexOfAny(s_notInABareAddress) < 0
        && !address.EndsWith('.')
        && MailboxAddress.TryParse(s_strict, address, out var parsed)
        && string.IsNullOrEmpty(parsed.Name)
        && parsed.Route.Count == 0
        && parsed.LocalPart.Length > 0
        && parsed.Domain.Length > 0;

    /// <summary>An optional email field: a deliverable address when given.</summary>
    public static IRuleBuilderOptions<T, string?> OptionalEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Optional(MaxLength, TextShape.SingleLine).EmailAddress().NoTrailingDot().Deliverable();

    /// <summary>A required email field: a deliverable address.</summary>
    public static IRuleBuilderOptions<T, string?> RequiredEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Required(MaxLength, TextShape.SingleLine).EmailAddress().NoTrailingDot().Deliverable();

    private static IRuleBuilderOptions<T, string?> Deliverable<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new DescribedRule<T, string?>("Deliverable", email => email is null || email.EndsWith('.') || IsDeliverable(email),
                s => s.Description = s.Description is { Length: > 0 } known
                    ? $"{known} One bare address (local@domain): no display name, angle brackets, comment or white space."
                    : "One bare address (local@domain): no display name, angle brackets, comment or white space."))
            .WithMessage("'{PropertyName}' must be one email address mail can be sent to, such as li.na@example.edu (no name, brackets or spaces).");
}
