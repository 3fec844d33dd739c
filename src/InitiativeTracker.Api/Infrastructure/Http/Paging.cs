using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>The paging and sorting every list takes: <c>?page=1&amp;pageSize=50&amp;sort=deadline,-updatedAt</c>.</summary>
public abstract record ListQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>1-based page number.</summary>
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    /// <summary>Items per page, 1 to 200 (default 50).</summary>
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    /// <summary>Comma-separated fields, each optionally prefixed by '-' for descending.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal int PageNumber => Page ?? 1;

    internal int Size => PageSize ?? DefaultPageSize;

    internal long Offset => (long)(PageNumber - 1) * Size;
}

/// <summary>One page of a list, with the total over all pages.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount);

public static class ListQueryRules
{
    /// <summary>The paging rules, and that <c>sort</c> names only fields of <paramref name="sortable"/>.</summary>
    public static void AddListRules<T>(this AbstractValidator<T> validator, SortFields sortable)
        where T : ListQuery
    {
        validator.RuleFor(q => q.Page).GreaterThanOrEqualTo(1).LessThanOrEqualTo(1_000_000);
        validator.RuleFor(q => q.PageSize).InclusiveBetween(1, ListQuery.MaxPageSize);
        validator.RuleFor(q => q.Sort)
            .Must(sortable.IsValid)
            .WithMessage($"Sort by a comma-separated list of: {string.Join(", ", sortable.Names)} (prefix '-' for descending).");
    }
}
