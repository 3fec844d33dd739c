using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// Issue 14, finding 3: an email or name that reads as a taken one is the same identity (409) or refused
/// (400), never a second owner, task force or key; and the original keeps working.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class LookAlikeIdentityTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Theory]
    [InlineData("fullwidth", "li.na@{0}", "\uFF4Ci.na@{0}", HttpStatusCode.Conflict)]
    [InlineData("fullwidth-domain", "li.na@{0}", "li.na@\uFF45xample-{0}", HttpStatusCode.Conflict)]
    [InlineData("case", "li.na@{0}", "LI.NA@{0}", HttpStatusCode.Conflict)]
    [InlineData("nfd", "jos\u00E9@{0}", "jose\u0301@{0}", HttpStatusCode.Conflict)]
    [InlineData("nfc", "jose\u0301@{0}", "jos\u00E9@{0}", HttpStatusCode.Conflict)]
    [InlineData("idn", "li.na@b\u00FCcher-{0}", "li.na@xn--bcher-{0}", HttpStatusCode.Conflict)]
    [InlineData("zero-width-space", "li.na@{0}", "li\u200B.na@{0}", HttpStatusCode.BadRequest)]
    [InlineData("bom", "li.na@{0}", "\uFEFFli.na@{0}", HttpStatusCode.BadRequest)]
    [InlineData("soft-hyphen", "li.na@{0}", "li.na\u00AD@{0}", HttpStatusCode.BadRequest)]
    [InlineData("trailing-dot", "li.na@{0}", "li.na@{0}.", HttpStatusCode.BadRequest)]
    public async Task ALookAlikeEmailIsNotASecondOwner(string kind, string original, string lookAlike, HttpStatusCode expected)
    {
        var (first, second) = Spell(kind, original, lookAlike);
        var owner = await _admin.CreateAsync("/api/v1/owners", new { name = "Li Na", email = first });
        var before = await factory.SnapshotAsync();

        var response = await _admin.PostAsJsonAsync("/api/v1/owners", new { name = "Li Na", email = second });

        await response.ShouldBeProblem(expected, "email");
        (await factory.SnapshotAsync()).Should().Be(before, "a refused owner writes nothing");
        var kept = await (await _admin.GetAsync($"/api/v1/owners/{owner["id"]}")).ShouldBe(HttpStatusCode.OK);
        kept["email"]!.GetValue<string>().Should().Be(first, "the address is shown as it was typed");
        await (await _admin.PutAsJsonAsync($"/api/v1/owners/{owner["id"]}", new { name = "Li Na", email = first, unit = "Kept" }))
            .ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("fullwidth", "\uFF4Ci.na@{0}", HttpStatusCode.Conflict)]
    [InlineData("case", "LI.NA@{0}", HttpStatusCode.Conflict)]
    [InlineData("zero-width-joiner", "li.na\u200D@{0}", HttpStatusCode.BadRequest)]
    [InlineData("trailing-dot", "li.na@{0}.", HttpStatusCode.BadRequest)]
    public async Task AnOwnerCannotBeRenamedToALookAlikeOfAnotherOwnersEmail(string kind, string lookAlike, HttpStatusCode expected)
    {
        var domain = $"update-{kind}.example.edu";
        await _admin.CreateAsync("/api/v1/owners", new { name = "Holder", email = $"li.na@{domain}" });
        var mover = await _admin.CreateAsync("/api/v1/owners", new { name = "Mover", email = $"mover@{domain}" });
        var before = await factory.SnapshotAsync();

        var response = await _admin.PutAsJsonAsync($"/api/v1/owners/{mover["id"]}",
            new { name = "Mover", email = string.Format(CultureInfo.InvariantCulture, lookAlike, domain) });

        await response.ShouldBeProblem(expected, "email");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AnOwnerMaySaveItsOwnEmailInAnotherSpelling()
    {
        var owner = await _admin.CreateAsync("/api/v1/owners", new { name = "Self", email = "self@respell.example.edu" });

        var body = await (await _admin.PutAsJsonAsync($"/api/v1/owners/{owner["id"]}", new { name = "Self", email = "SELF@\uFF52espell.example.edu" }))
            .ShouldBe(HttpStatusCode.OK);

        body["email"]!.GetValue<string>().Should().Be("SELF@\uFF52espell.example.edu");
    }

    [Theory]
    [InlineData("nbsp", "Tech\u00A0Transfer {0}", HttpStatusCode.Conflict)]
    [InlineData("double-space", "Tech  Transfer {0}", HttpStatusCode.Conflict)]
    [InlineData("ideographic-space", "Tech\u3000Transfer {0}", HttpStatusCode.Conflict)]
    [InlineData("fullwidth", "\uFF34ech Transfer {0}", HttpStatusCode.Conflict)]
    [InlineData("case", "TECH TRANSFER {0}", HttpStatusCode.Conflict)]
    [InlineData("zero-width-space", "Tech\u200B Transfer {0}", HttpStatusCode.BadRequest)]
    [InlineData("zwnj", "Tech Trans\u200Cfer {0}", HttpStatusCode.BadRequest)]
    [InlineData("variation-selector", "Tech Transfer\uFE0F {0}", HttpStatusCode.BadRequest)]
    public async Task ALookAlikeTaskForceNameIsNotASecondTaskForce(string kind, string lookAlike, HttpStatusCode expected)
    {
        var original = $"Tech Transfer {kind}";
        var taskForce = await _admin.CreateAsync("/api/v1/task-forces", new { name = original });
        var before = await factory.SnapshotAsync();

        var response = await _admin.PostAsJsonAsync("/api/v1/task-forces", new { name = string.Format(CultureInfo.InvariantCulture, lookAlike, kind) });

        await response.ShouldBeProblem(expected, "name");
        (await factory.SnapshotAsync()).Should().Be(before);
        await (await _admin.PutAsJsonAsync($"/api/v1/task-forces/{taskForce["id"]}", new { name = original, mandate = "Kept" }))
            .ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("nbsp", "Joint\u00A0Lab {0}", HttpStatusCode.Conflict)]
    [InlineData("case", "joint lab {0}", HttpStatusCode.Conflict)]
    [InlineData("word-joiner", "Joint\u2060Lab {0}", HttpStatusCode.BadRequest)]
    public async Task ATaskForceCannotBeRenamedToALookAlikeOfAnother(string kind, string lookAlike, HttpStatusCode expected)
    {
        await _admin.CreateAsync("/api/v1/task-forces", new { name = $"Joint Lab {kind}" });
        var other = await _admin.CreateAsync("/api/v1/task-forces", new { name = $"Other {Guid.NewGuid():N}" });
        var before = await factory.SnapshotAsync();

        var response = await _admin.PutAsJsonAsync($"/api/v1/task-forces/{other["id"]}", new { name = string.Format(CultureInfo.InvariantCulture, lookAlike, kind) });

        await response.ShouldBeProblem(expected, "name");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("b\u043E\u043Etstrap", HttpStatusCode.BadRequest)] // Cyrillic о
    [InlineData("\uFF42ootstrap", HttpStatusCode.BadRequest)] // fullwidth b
    [InlineData("boot\u200Bstrap", HttpStatusCode.BadRequest)]
    [InlineData("BOOTSTRAP", HttpStatusCode.Conflict)]
    [InlineData("System", HttpStatusCode.Conflict)]
    public async Task AKeyNameThatReadsAsAReservedOneIsRefused(string name, HttpStatusCode expected)
    {
        var before = await factory.SnapshotAsync();

        await (await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name, role = "admin" })).ShouldBeProblem(expected, "name");

        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("deploy-bot", "DEPLOY-BOT", HttpStatusCode.Conflict)]
    [InlineData("report.bot", "rep\u043Ert.bot", HttpStatusCode.BadRequest)]
    [InlineData("Li Na script", "Li\u00A0Na script", HttpStatusCode.BadRequest)]
    [InlineData("caf\u00E9", "caf\u00E9", HttpStatusCode.BadRequest)]
    public async Task KeyNamesArePlainAsciiAndCompareIgnoringCase(string first, string second, HttpStatusCode expected)
    {
        if (first.All(char.IsAscii))
        {
            var (_, key) = await _admin.CreateKeyAsync("viewer", name: first);
            await (await factory.WithKey(key).GetAsync("/api/v1/owners")).ShouldBe(HttpStatusCode.OK);
        }

        var before = await factory.SnapshotAsync();

        await (await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = second, role = "viewer" })).ShouldBeProblem(expected, "name");

        (await factory.SnapshotAsync()).Should().Be(before);
    }

    /// <summary>The original and its look-alike for one case, each case in a domain of its own.</summary>
    private static (string Original, string LookAlike) Spell(string kind, string original, string lookAlike)
    {
        var domain = $"{kind}.example.edu";
        return kind == "idn"
            // bücher-idn.example.edu in its ASCII (IDNA) form.
            ? (string.Format(CultureInfo.InvariantCulture, original, "idn.example.edu"), "li.na@" + new IdnMapping().GetAscii("b\u00FCcher-idn.example.edu"))
            : kind == "fullwidth-domain"
                ? (string.Format(CultureInfo.InvariantCulture, original, "example-" + domain), string.Format(CultureInfo.InvariantCulture, lookAlike, domain))
                : (string.Format(CultureInfo.InvariantCulture, original, domain), string.Format(CultureInfo.InvariantCulture, lookAlike, domain));
    }
}

/// <summary>Migration 0009 on a database written before it: look-alikes already stored are all kept, and the indexes build.</summary>
[Trait("Category", "Hostile")]
public sealed class IdentityKeyMigrationTests
{
    private const string MigrationPrefix = "InitiativeTracker.Api.Infrastructure.Database.Migrations.";

    [Fact]
    public async Task BackfillsKeysOnADatabaseFromBeforeThemAndKeepsCollidingRows()
    {
        using var factory = new TrackerFactory();
        await CreateAtVersionAsync(factory.DatabaseFile, 8, """
            INSERT INTO owners (id, name, email, created_at, updated_at) VALUES
                (1, 'Li Na', 'li.na@example.edu', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                (2, 'Li Na (fullwidth)', 'ｌi.na@example.edu', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                (3, 'Li Na (dot)', 'li.na@example.edu.', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                (4, 'Zhang', 'zhang@example.edu', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                (5, 'No email', NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
            INSERT INTO task_forces (id, name, created_at, updated_at) VALUES
                (1, 'Tech Transfer', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                (2, 'Tech' || char(160) || 'Transfer', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
            INSERT INTO api_keys (id, name, role, prefix, key_hash, created_at) VALUES
                (1, 'ops', 'viewer', 'itk_aaaa', x'01', '2026-01-01T00:00:00.000Z'),
                (2, 'ｏps', 'viewer', 'itk_bbbb', x'02', '2026-01-01T00:00:00.000Z');
            """);

        var admin = factory.Admin();
        var owners = await (await admin.GetAsync("/api/v1/owners?pageSize=100")).ShouldBe(HttpStatusCode.OK);

        owners["items"]!.AsArray().OrderBy(o => o!["id"]!.GetValue<long>()).Select(o => o!["email"]?.GetValue<string>())
            .Should().Equal("li.na@example.edu", "ｌi.na@example.edu", "li.na@example.edu.", "zhang@example.edu", null);
        (await KeysAsync(factory, "SELECT email_key FROM owners ORDER BY id"))
            .Should().Equal("li.na@example.edu", "li.na@example.edu#2", "li.na@example.edu#3", "zhang@example.edu", null);
        (await KeysAsync(factory, "SELECT name_key FROM task_forces ORDER BY id")).Should().Equal("tech transfer", "tech transfer#2");
        (await KeysAsync(factory, "SELECT name_key FROM api_keys ORDER BY id")).Should().Equal("ops", "ops#2");
        (await factory.ScalarAsync<string>("PRAGMA integrity_check")).Should().Be("ok");

        // The indexes hold on the keys: a new look-alike of the first is a conflict, a fresh address is not.
        await (await admin.PostAsJsonAsync("/api/v1/owners", new { name = "Again", email = "LI.NA@example.edu" })).ShouldBeProblem(HttpStatusCode.Conflict, "email");
        await (await admin.PostAsJsonAsync("/api/v1/task-forces", new { name = "tech transfer" })).ShouldBeProblem(HttpStatusCode.Conflict, "name");
        await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "OPS", role = "viewer" })).ShouldBeProblem(HttpStatusCode.Conflict, "name");
        await admin.CreateAsync("/api/v1/owners", new { name = "Fresh", email = "fresh@example.edu" });
        // The row that lost the key gets it back by taking an identity of its own.
        await (await admin.PutAsJsonAsync("/api/v1/owners/2", new { name = "Li Na (fullwidth)", email = "li.na2@example.edu" })).ShouldBe(HttpStatusCode.OK);
        (await factory.ScalarAsync<string>("SELECT email_key FROM owners WHERE id = 2")).Should().Be("li.na2@example.edu");

        // The backfill's function was the migrator's alone: the operator's own connection works without it.
        await using var shell = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await shell.OpenAsync();
        await shell.ExecuteAsync("UPDATE owners SET unit = 'Shell' WHERE id = 4;");
        var call = () => shell.ExecuteScalarAsync<string>("SELECT identity_key('name', 'x');");
        (await call.Should().ThrowAsync<SqliteException>()).Which.Message.Should().Contain("no such function");
    }

    private static async Task<List<string?>> KeysAsync(TrackerFactory factory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<string?>(sql)];
    }

    /// <summary>A database file migrated as far as <paramref name="version"/> (as an older release left it), then <paramref name="rows"/>.</summary>
    private static async Task CreateAtVersionAsync(string file, long version, string rows)
    {
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False;Foreign Keys=True"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("""
                PRAGMA journal_mode = WAL;
                CREATE TABLE schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
                """);
            var assembly = typeof(DatabaseMigrator).Assembly;
            var scripts = assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(MigrationPrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .Select(n => (Resource: n, Name: n[MigrationPrefix.Length..^".sql".Length]))
                .Select(s => (s.Resource, s.Name, Version: long.Parse(s.Name[..s.Name.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture)))
                .Where(s => s.Version <= version)
                .OrderBy(s => s.Version);
            foreach (var (resource, name, number) in scripts)
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync(await reader.ReadToEndAsync(), transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO schema_versions VALUES (@number, @name, '2026-01-01T00:00:00.000Z');", new { number, name }, transaction);
                await transaction.CommitAsync();
            }

            await connection.ExecuteAsync(rows);
        }

        SqliteConnection.ClearAllPools();
    }
}
