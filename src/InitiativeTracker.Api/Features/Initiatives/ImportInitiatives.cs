using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Dapper;
using FluentValidation;
using FluentValidation.Results;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.OpenApi;
using MediaTypeHeaderValue = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>One row of an import: the initiative it reads as, and the fields that could not be read at all (by field name; "" for the whole row).</summary>
internal sealed record ImportRow(CreateInitiativeCommand Initiative, IReadOnlyDictionary<string, string> Unreadable);

/// <summary>Creates every row as a new initiative, or none: one invalid row rejects the whole import.</summary>
internal sealed record ImportInitiativesCommand(IReadOnlyList<ImportRow> Rows) : IRequest<ImportInitiativesResponse>;

/// <summary>What an import created: how many initiatives, and their ids in the order of the rows.</summary>
internal sealed record ImportInitiativesResponse(int Created, IReadOnlyList<long> Ids) : IDocumentedExample<ImportInitiativesResponse>
{
    public static ImportInitiativesResponse Example => new(3, [42, 43, 44]);
}

/// <summary>
/// Each row by the rules of <see cref="CreateInitiativeValidator"/>, its errors keyed <c>rows[N].field</c>,
/// and the directions, owners and task forces the rows name: every problem of every row in one 400, so
/// a file is fixed once, not once per kind of error. A field that broke a rule (or could not be read) is
/// not looked up as well. The handler checks the references again inside its write transaction, since
/// a row may be archived in between.
/// </summary>
internal sealed class ImportInitiativesValidator : AbstractValidator<ImportInitiativesCommand>
{
    public const int MaxRows = 5_000;

    private readonly CreateInitiativeValidator _row = new();
    private readonly Db _db;

    public ImportInitiativesValidator(Db db)
    {
        _db = db;
        RuleFor(c => c.Rows).NotEmpty().WithMessage("The import has no rows.");
        RuleFor(c => c.Rows.Count).LessThanOrEqualTo(MaxRows).OverridePropertyName("rows")
            .WithMessage(c => TooManyRows(c.Rows.Count));
        RuleFor(c => c.Rows).CustomAsync(ValidateRowsAsync).When(c => c.Rows.Count is > 0 and <= MaxRows);
    }

    /// <summary>The one error of an import over <see cref="MaxRows"/>, keyed <c>rows</c>.</summary>
    public static string TooManyRows(int count) => $"An import takes at most {MaxRows} rows; this one has {count}. Split it.";

    private async Task ValidateRowsAsync(IReadOnlyList<ImportRow> rows, ValidationContext<ImportInitiativesCommand> context, CancellationToken ct)
    {
        // The rows whose references to look up, with the fields already in error in each.
        List<(int Row, CreateInitiativeCommand Initiative, IReadOnlySet<string> Skip)> lookups = [];
        for (var i = 0; i < rows.Count; i++)
        {
            var (initiative, unreadable) = rows[i];
            foreach (var (field, message) in unreadable)
            {
                context.AddFailure(ImportKeys.Row(i, field), message);
            }

            if (unreadable.ContainsKey(""))
            {
                continue;
            }

            var inError = new HashSet<string>(unreadable.Keys);
            foreach (var failure in _row.Validate(initiative).Errors)
            {
                // A field that could not be read is reported as such, not again as missing.
                var field = ProblemExceptionHandler.CamelCasePath(failure.PropertyName);
                if (!unreadable.ContainsKey(field))
                {
                    context.AddFailure(ImportKeys.Row(i, field), failure.ErrorMessage);
                }

                inError.Add(field);
            }

            lookups.Add((i, initiative, inError));
        }

        await using var connection = await _db.OpenAsync(ct);
        foreach (var failure in await ImportReferences.MissingAsync(connection, null, lookups, ct))
        {
            context.AddFailure(failure);
        }
    }
}

/// <summary>
/// Which rows of an import name a direction, owner or task force that does not exist (or is archived):
/// all rows in one query, as <see cref="References"/> does for one initiative.
/// </summary>
internal static class ImportReferences
{
    private const string ExistingSql = """
        SELECT 'directionId' AS Field, id AS Id FROM directions
        WHERE id IN (SELECT value FROM json_each(@DirectionIds))
        UNION ALL
        SELECT 'ownerId', id FROM owners
        WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(@OwnerIds))
        UNION ALL
        SELECT 'taskForceId', id FROM task_forces
        WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(@TaskForceIds));
        """;

    /// <summary>A failure keyed <c>rows[N].field</c> for each missing reference, leaving out the fields each row asks to skip.</summary>
    public static async Task<List<ValidationFailure>> MissingAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        IReadOnlyList<(int Row, CreateInitiativeCommand Initiative, IReadOnlySet<string> Skip)> rows,
        CancellationToken ct)
    {
        List<ValidationFailure> failures = [];
        if (rows.Count == 0)
        {
            return failures;
        }

        var initiatives = rows.Select(r => r.Initiative).ToList();
        var existing = (await connection.QueryAsync<(string Field, long Id)>(new CommandDefinition(ExistingSql, new
        {
            DirectionIds = JsonSerializer.Serialize(initiatives.Select(i => i.DirectionId).Distinct()),
            OwnerIds = JsonSerializer.Serialize(initiatives.Select(i => i.OwnerId).Distinct()),
            TaskForceIds = JsonSerializer.Serialize(initiatives.Select(i => i.TaskForceId).OfType<long>().Distinct()),
        }, transaction, cancellationToken: ct))).ToHashSet();

        foreach (var (row, initiative, skip) in rows)
        {
            Check(row, skip, "directionId", "direction", initiative.DirectionId);
            Check(row, skip, "ownerId", "owner", initiative.OwnerId);
            Check(row, skip, "taskForceId", "task force", initiative.TaskForceId);
        }

        return failures;

        void Check(int row, IReadOnlySet<string> skip, string field, string what, long? id)
        {
            if (id is { } value && !skip.Contains(field) && !existing.Contains((field, value)))
            {
                failures.Add(new ValidationFailure(ImportKeys.Row(row, field), References.Missing(what, value)));
            }
        }
    }
}

internal static class ImportKeys
{
    /// <summary><c>rows[3].deadline</c>, or <c>rows[3]</c> for the row as a whole.</summary>
    public static string Row(int index, string field) => field.Length == 0 ? $"rows[{index}]" : $"rows[{index}].{field}";
}

internal sealed class ImportInitiativesHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock, InitiativeScope scope, WebhookOutbox webhooks)
    : IRequestHandler<ImportInitiativesCommand, ImportInitiativesResponse>
{
    private static readonly IReadOnlySet<string> s_skipNothing = new HashSet<string>();

    public Task<ImportInitiativesResponse> Handle(ImportInitiativesCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var initiatives = command.Rows.Select(r => r.Initiative).ToList();
            // The validator looked the references up before the write gate; one archived since is caught here.
            var missing = await ImportReferences.MissingAsync(connection, transaction,
                initiatives.Select((initiative, row) => (row, initiative, s_skipNothing)).ToList(), cancellationToken);
            if (missing.Count > 0)
            {
                throw new ValidationException(missing);
            }

            // A lead imports only into its own scope, as it creates one initiative at a time.
            foreach (var (ownerId, taskForceId) in initiatives.Select(i => (i.OwnerId, i.TaskForceId)).Distinct())
            {
                await scope.RequireWriteAsync(connection, transaction, ownerId, taskForceId, cancellationToken);
            }

            var now = clock.UtcNowText;
            List<long> ids = new(initiatives.Count);
            foreach (var initiative in initiatives)
            {
                var row = await connection.QuerySingleAsync<InitiativeRow>(new CommandDefinition(InitiativeRow.Insert, new
                {
                    initiative.DirectionId,
                    initiative.OwnerId,
                    initiative.TaskForceId,
                    initiative.Title,
                    initiative.Description,
                    initiative.StartDate,
                    initiative.Deadline,
                    Now = now,
                }, transaction, cancellationToken: cancellationToken));
                await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, row.Id, AuditAction.Create, null, row, cancellationToken);
                await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.Created(row.ToResponse(clock.Today)), cancellationToken);
                ids.Add(row.Id);
            }

            return new ImportInitiativesResponse(ids.Count, ids);
        }, cancellationToken);
}

/// <summary>
/// Turns an import body into rows: a JSON array of the objects <c>POST /initiatives</c> takes, or CSV
/// whose header row names those fields. A value of the wrong type (a date that is not yyyy-MM-dd, an id
/// that is not a number) is an error of its row, reported with the others rather than stopping the read.
/// </summary>
internal static class ImportReader
{
    public const string Csv = "text/csv";

    /// <summary>CSV has only text: numbers are read from it, as JSON strictly would not.</summary>
    private static readonly JsonSerializerOptions s_csvOptions = new(TrackerJson.Options) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private static readonly JsonTypeInfo s_fields = TrackerJson.Options.GetTypeInfo(typeof(CreateInitiativeCommand));

    private static readonly string[] s_requiredColumns = ["directionId", "ownerId", "title", "deadline"];

    public static async Task<IReadOnlyList<ImportRow>> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (string.Equals(mediaType, Csv, StringComparison.OrdinalIgnoreCase))
        {
            using var text = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return await ReadCsvAsync(text, ct);
        }

        if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ReadJson(await ReadBodyAsync(request, ct));
        }

        throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported Media Type",
            "Send the rows as application/json (an array of initiatives) or text/csv (a header row of the field names, then one row per initiative).");
    }

    /// <summary>The body as bytes: at most <see cref="ImportInitiatives.MaxBodyBytes"/>, held once.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 64 * 1024, ImportInitiatives.MaxBodyBytes));
        await request.Body.CopyToAsync(body, ct);
        return body.Length == body.Capacity ? body.GetBuffer() : body.ToArray();
    }

    /// <summary>
    /// Walks the array a row at a time, making a document of one row only: a 16 MiB array of 100,000 rows
    /// held as one document took hundreds of MB. Rows past <see cref="ImportInitiativesValidator.MaxRows"/>
    /// are skipped over, counted, not read, and the import is refused whole.
    /// </summary>
    private static List<ImportRow> ReadJson(byte[] body)
    {
        List<ImportRow> rows = [];
        var count = 0;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = TrackerJson.Options.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                // Not an array: still say "not JSON" for text that is not.
                reader.Skip();
                while (reader.Read())
                {
                }

                throw Invalid.Field("body", "Send a JSON array of initiatives: [{\"directionId\": 1, \"ownerId\": 1, \"title\": \"…\", \"deadline\": \"2026-12-31\"}, …].");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                var isObject = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
                if (count < ImportInitiativesValidator.MaxRows)
                {
                    rows.Add(isObject
                        ? ReadJsonRow(body.AsSpan(start, (int)reader.BytesConsumed - start))
                        : Unreadable("Each row is a JSON object of the fields of an initiative."));
                }

                count++;
            }

            // Anything after the array is not JSON.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw Invalid.Field("body", $"The body is not valid JSON (line {e.LineNumber + 1}).");
        }

        return count > ImportInitiativesValidator.MaxRows ? throw Invalid.Field("rows", ImportInitiativesValidator.TooManyRows(count)) : rows;
    }

    /// <summary>
    /// One row of a JSON import. A member it names twice is an error of that member (keyed as sent,
    /// <c>rows[3].ownerId</c>), and is left out of the row rather than read as either value.
    /// </summary>
    private static ImportRow ReadJsonRow(ReadOnlySpan<byte> json)
    {
        var duplicates = DuplicateMembers.Find(json);
        var repeated = duplicates.Select(d => d.Path.Split('.', '[')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        JsonObject row = [];
        try
        {
            // Repeats are allowed here only to be left out: they are reported above.
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = TrackerJson.Options.MaxDepth });
            foreach (var property in document.RootElement.EnumerateObject().Where(p => !repeated.Contains(p.Name)))
            {
                row[property.Name] = JsonNode.Parse(JsonMarshal.GetRawUtf8Value(property.Value), documentOptions: TrackerJson.DocumentOptions);
            }
        }
        catch (InvalidOperationException)
        {
            return Unreadable("A field name in the row is not well-formed Unicode text.");
        }

        var read = ReadRow(row, TrackerJson.Options);
        if (duplicates.Count == 0)
        {
            return read;
        }

        var unreadable = new Dictionary<string, string>(read.Unreadable);
        foreach (var (path, name) in duplicates)
        {
            unreadable[path] = DuplicateMembers.Message(name);
        }

        return read with { Unreadable = unreadable };
    }

    /// <summary>
    /// A CSV header names at most this many columns: an initiative has 12 fields, so this leaves room to
    /// name a few unknown ones. A header past it is one error, before any column is looked at: a header
    /// of a million empty names would otherwise be a million errors.
    /// </summary>
    public const int MaxColumns = 32;

    /// <summary>At most this many problems of a header are listed; the rest are counted.</summary>
    private const int MaxHeaderProblems = 10;

    /// <summary>
    /// Reads the body a record at a time. Records past <see cref="ImportInitiativesValidator.MaxRows"/> are
    /// counted, not read: a 16 MiB body of short rows is millions of them, and that import is refused whole.
    /// </summary>
    private static async Task<List<ImportRow>> ReadCsvAsync(TextReader text, CancellationToken ct)
    {
        List<ImportRow> rows = [];
        JsonPropertyInfo?[]? columns = null;
        var count = 0;
        try
        {
            using var csv = await CsvReader.OpenAsync(text, ct);
            while (await csv.MoveNextAsync(ct))
            {
                if (columns is null)
                {
                    columns = Header(csv);
                }
                else
                {
                    if (count < ImportInitiativesValidator.MaxRows)
                    {
                        rows.Add(ReadRecord(csv, columns));
                    }

                    count++;
                }
            }
        }
        catch (CsvFormatException e)
        {
            throw Invalid.Field(columns is null ? "header" : ImportKeys.Row(count, ""), e.Message);
        }

        if (columns is null)
        {
            throw Invalid.Field("header", "The CSV is empty: send a header row of the field names, then one row per initiative.");
        }

        return count > ImportInitiativesValidator.MaxRows ? throw Invalid.Field("rows", ImportInitiativesValidator.TooManyRows(count)) : rows;
    }

    private static ImportRow ReadRecord(CsvReader csv, JsonPropertyInfo?[] columns)
    {
        if (csv.FieldCount != columns.Length)
        {
            return Unreadable($"The row has {csv.FieldCount} fields; the header has {columns.Length}.");
        }

        var row = new JsonObject();
        for (var c = 0; c < columns.Length; c++)
        {
            // An empty cell is an absent field. Ids and dates are trimmed here; text as every request's is (TextRules).
            var value = columns[c]!.PropertyType == typeof(string) ? csv.Field(c) : csv.Field(c).Trim();
            if (value.Length > 0)
            {
                row[columns[c]!.Name] = value;
            }
        }

        return ReadRow(row, s_csvOptions);
    }

    private static JsonPropertyInfo?[] Header(CsvReader csv)
    {
        var fieldNames = $"The header names the fields: {string.Join(",", s_fields.Properties.Select(f => f.Name).Except(CreateInitiativeCommand.StateFields))}.";
        if (csv.FieldCount > MaxColumns)
        {
            throw Invalid.Field("header", $"The header has {csv.FieldCount} columns; an import takes at most {MaxColumns}. {fieldNames}");
        }

        var names = Enumerable.Range(0, csv.FieldCount).Select(csv.Field).ToArray();
        var columns = names.Select(n => BodyErrors.PropertyNamed(s_fields, n.Trim())).ToArray();
        List<string> problems = [];
        problems.AddRange(names.Where((_, i) => columns[i] is null).Select(n => $"Unknown column '{Shortened(n)}'."));
        problems.AddRange(columns.OfType<JsonPropertyInfo>().GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => $"Column '{g.Key}' appears more than once."));
        problems.AddRange(s_requiredColumns.Where(r => !columns.Any(c => c?.Name == r)).Select(r => $"Column '{r}' is missing."));
        if (problems.Count > 0)
        {
            var listed = problems.Take(MaxHeaderProblems).Select(p => $"{p} {fieldNames}").ToList();
            if (problems.Count > MaxHeaderProblems)
            {
                listed.Add($"{problems.Count - MaxHeaderProblems} more problems with the header are not listed.");
            }

            throw new ValidationException(listed.Select(p => new ValidationFailure("header", p)));
        }

        return columns;
    }

    /// <summary>An unknown column's name as an error quotes it: a record may be a megabyte long, and so may one name.</summary>
    private static string Shortened(string name) =>
        name.Length <= 64 ? name : $"{name[..(char.IsHighSurrogate(name[63]) ? 63 : 64)]}…";

    /// <summary>Reads each field on its own, so every unreadable one is reported, then the row from the rest.</summary>
    private static ImportRow ReadRow(JsonObject row, JsonSerializerOptions options)
    {
        var (readable, unreadable) = BodyErrors.ReadFields(row, s_fields, options);
        return new ImportRow(readable.Deserialize<CreateInitiativeCommand>(options)!, unreadable);
    }

    private static ImportRow Unreadable(string message) => new(new CreateInitiativeCommand(), new Dictionary<string, string> { [""] = message });
}

internal static class ImportInitiatives
{
    /// <summary>Imports may be larger than the 64 KiB other requests are held to (<c>RequestLimits.DefaultBodyBytes</c>).</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static void Map(RouteGroupBuilder group) => group.MapPost("/import", Handle)
        .WithName("importInitiatives")
        .WithSummary("Create many initiatives at once, from a JSON array or CSV: all rows or none")
        .WithDescription($"""
            Takes up to {ImportInitiativesValidator.MaxRows} rows, each with the fields of `POST /api/v1/initiatives`, as either
            a JSON array of objects (`application/json`) or CSV (`text/csv`: RFC 4180, UTF-8 with or without a byte-order
            mark, CRLF or LF line ends, a header row of the field names in any order, quoted fields for commas, quotes
            and line breaks; an empty cell is an absent field; blank lines are skipped). Every row is checked first, by
            the rules of a single create plus the existence of the directions, owners and task forces it names. If any
            row fails, nothing is written and the 400 lists the errors keyed `rows[N].field` (N counts rows from 0, not
            counting the CSV header; `rows[N]` for a row that cannot be read at all, `header` for the CSV header): those
            of the first {ProblemException.MaxListedErrors} fields in error, with `errorsNotListed` counting the rest. A JSON row
            that names a field twice is an error of that field. Otherwise every row is created, and audited, in one
            transaction. Bodies up to {RequestLimits.Size(MaxBodyBytes)} are accepted; a CSV header takes at most {ImportReader.MaxColumns} columns and a CSV record at most
            {CsvReader.MaxRecordLength} characters.
            """)
        .RequireAuthorization(Policies.Write)
        .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
        .Accepts<List<CreateInitiativeCommand>>("application/json", ImportReader.Csv)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            DescribeBody(operation);
            return Task.CompletedTask;
        });

    private static async Task<Created<ImportInitiativesResponse>> Handle(HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var rows = await ImportReader.ReadAsync(request, ct);
        return TypedResults.Created((string?)null, await mediator.Send(new ImportInitiativesCommand(rows), ct));
    }

    /// <summary>The CSV form is text, not the JSON schema; both get an example.</summary>
    private static void DescribeBody(OpenApiOperation operation)
    {
        var content = operation.RequestBody?.Content;
        if (content is null)
        {
            return;
        }

        if (content.TryGetValue("application/json", out var json))
        {
            json.Example = JsonNode.Parse("""
                [
                  {"directionId": 2, "ownerId": 1, "taskForceId": 1, "title": "Joint technology transfer center in Almaty",
                   "description": "With two partner universities", "startDate": "2026-01-15", "deadline": "2026-12-31"},
                  {"directionId": 1, "ownerId": 2, "title": "UASR summer school on smart manufacturing", "deadline": "2026-08-31"}
                ]
                """);
        }

        content[ImportReader.Csv] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "RFC 4180 CSV: a header row of the field names, then one row per initiative.",
            },
            Example = JsonValue.Create("""
                directionId,ownerId,taskForceId,title,description,startDate,deadline
                2,1,1,Joint technology transfer center in Almaty,"With two partner universities, in Almaty and Xi'an",2026-01-15,2026-12-31
                1,2,,UASR summer school on smart manufacturing,,,2026-08-31

                """.ReplaceLineEndings("\r\n")),
        };
    }
}
