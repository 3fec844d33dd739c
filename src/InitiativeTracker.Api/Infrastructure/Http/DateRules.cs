using FluentValidation;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The dates a request may carry: 1900-01-01 to 2200-12-31. That is far wider than any meeting or
/// deadline, and far enough inside <see cref="DateOnly"/>'s range that the start of any such day in any
/// time zone is a valid instant (midnight on 0001-01-01 in Shanghai is before <see cref="DateTime.MinValue"/>).
/// </summary>
public static class DateRules
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2200, 12, 31);

    public const string Range = "between 1900-01-01 and 2200-12-31";

    public static bool InRange(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>When given, a date within <see cref="Range"/>.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> InRange<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(date => date is null || InRange(date.Value)).WithMessage($"'{{PropertyName}}' must be a date {Range}.");

    /// <summary>
    /// A date the request must send: absent is reported as missing, a date outside <see cref="Range"/> as
    /// out of range. Typed <c>DateOnly?</c> for that: a plain <c>DateOnly</c> reads an absent field as 0001-01-01.
    /// </summary>
    public static IRuleBuilderOptions<T, DateOnly?> RequiredDate<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.NotNull().WithMessage("'{PropertyName}' is required (yyyy-MM-dd).").InRange();
}
