namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// A body type that shows an example of itself on its schema, written as the C# value it documents
/// so it keeps up with renames; the linters check each against its schema. A request's example (a
/// type with a validator) leaves out its nulls for brevity. A page (<see cref="Http.Paged{T}"/>) is
/// shown with its item's example.
/// </summary>
public interface IDocumentedExample<TSelf>
    where TSelf : IDocumentedExample<TSelf>
{
    static abstract TSelf Example { get; }
}

/// <summary>The timestamps the examples share, so that they read as one story.</summary>
public static class DocumentedExample
{
    public static readonly DateTime Created = new(2026, 3, 10, 2, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Updated = new(2026, 4, 2, 8, 30, 0, DateTimeKind.Utc);
}
