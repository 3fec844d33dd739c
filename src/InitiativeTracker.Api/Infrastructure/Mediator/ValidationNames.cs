using System.Reflection;
using System.Text.Json;

namespace InitiativeTracker.Api.Infrastructure.Mediator;

/// <summary>
/// How validation messages name a field. FluentValidation's default splits the C# name ("'Page Size'
/// must be …"); clients send <c>pageSize</c>, and the <c>errors</c> keys already say <c>pageSize</c>, so the
/// messages say it too. Set once, globally, at start-up (<c>ValidatorOptions.Global.DisplayNameResolver</c>).
/// </summary>
public static class ValidationNames
{
    public static string? FieldName(MemberInfo? member) =>
        member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
}
