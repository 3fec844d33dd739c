using System.ComponentModel;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The paging every list takes: <c>?page=1&amp;pageSize=50</c>. List endpoints bind it as a parameter of
/// its own, beside the list's filters and its <c>sort</c> (whose fields are the list's), and hand it on in
/// <see cref="ListQuery.Paging"/>: the request delegate generator binds only the properties a type
/// declares itself, so a base record's properties would never be read from the query string.
/// </summary>
public sealed record ListPaging : IRequestPart
{
    [FromQuery(Name = "page")]
    [Description("The page, from 1.")]
    public int? Page { get; init; }

    [FromQuery(Name = "pageSize")]
    [Description("Items per page.")]
    [DefaultValue(ListQuery.DefaultPageSize)]
    public int? PageSize { get; init; }
}

internal sealed class ListPagingValidator : AbstractValidator<ListPaging>
{
    public ListPagingValidator()
    {
        RuleFor(p => p.Page).PageNumber();
        RuleFor(p => p.PageSize).PageSize();
    }
}

/// <summary>A list's query: its own filters (bound from the query string) and the <see cref="ListPaging"/> beside them.</summary>
public abstract record ListQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    internal ListPaging Paging { get; init; } = new();

    internal int PageNumber => Paging.Page ?? 1;

    internal int Size => Paging.PageSize ?? DefaultPageSize;

    internal long Offset => (long)(PageNumber - 1) * Size;
}

/// <summary>One page of a list, with the total over all pages.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount)
{
    /// <summary>The same page with each item turned into <typeparamref name="TOut"/> (a stored row into its response).</summary>
    public Paged<TOut> Select<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Page, PageSize, TotalCount);
}

public static class PagedQuery
{
    /// <summary>
    /// One page of <c>SELECT {columns} FROM {from} ORDER BY {orderBy}</c> and the count over all pages, in
    /// one round trip. <paramref name="from"/> is the table and its WHERE clause; <paramref name="parameters"/>
    /// bind that clause, and the page's <c>@Size</c> and <c>@Offset</c> are added from <paramref name="query"/>.
    /// </summary>
    public static async Task<Paged<T>> PageAsync<T>(
        this Db db, string columns, string from, string orderBy, object? parameters, ListQuery query, CancellationToken ct)
    {
        var sql = $"""
            SELECT COUNT(*) FROM {from};
            {PageSql(columns, from, orderBy)};
            """;
        var bound = new DynamicParameters(parameters);
        bound.AddDynamicParams(new { query.Size, query.Offset });
        await using var connection = await db.OpenAsync(ct);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, bound, cancellationToken: ct));
        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<T>()).AsList();
        return new Paged<T>(items, query.PageNumber, query.Size, total);
    }

    /// <summary>The statement that reads one page of <see cref="PageAsync{T}"/>.</summary>
    internal static string PageSql(string columns, string from, string orderBy) =>
        $"SELECT {columns} FROM {from} ORDER BY {orderBy} LIMIT @Size OFFSET @Offset";
}

public static class PagingRules
{
    public const int MaxPage = 1_000_000;

    /// <summary>A page number: 1 to <see cref="MaxPage"/>.</summary>
    public static IRuleBuilderOptions<T, int?> PageNumber<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, MaxPage);

    /// <summary>A page size: 1 to <see cref="ListQuery.MaxPageSize"/>.</summary>
    public static IRuleBuilderOptions<T, int?> PageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, ListQuery.MaxPageSize);
}
