using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>What an unsubscribe link stops: an owner's reminders, or one subscription.</summary>
internal sealed record UnsubscribeTarget(bool IsOwner, long Id);

/// <summary>
/// One-click unsubscribe links (RFC 8058). The token is in the path, never the query (the service refuses
/// credential-like query parameters): <c>o12.&lt;mac&gt;</c> for owner 12's reminders, <c>s5.&lt;mac&gt;</c> for
/// subscription 5, the MAC being HMAC-SHA256 of that prefix under a server key, base64url. Anyone holding
/// the link can use it, as a mail client's button must; nobody can make one for another owner or subscription.
/// The key is <c>Tracker:Email:UnsubscribeSecret</c>, or one generated once and kept in the database.
/// </summary>
internal sealed class UnsubscribeLinks(Db db, IOptions<EmailOptions> options)
{
    public const string Route = "/email/unsubscribe/{token}";

    private const string ReadSecretSql = "SELECT secret FROM email_secret WHERE id = 1;";
    private const string CreateSecretSql = "INSERT OR IGNORE INTO email_secret (id, secret) VALUES (1, @Secret);";

    private byte[]? _key;

    public async Task<string> UrlForAsync(UnsubscribeTarget target, CancellationToken ct) =>
        $"{options.Value.BaseUrl()}/api/v1/email/unsubscribe/{await TokenAsync(target, ct)}";

    public async Task<string> TokenAsync(UnsubscribeTarget target, CancellationToken ct)
    {
        var subject = Subject(target);
        return $"{subject}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(await KeyAsync(ct), Encoding.ASCII.GetBytes(subject)))}";
    }

    /// <summary>What the token unsubscribes; null when it is not one this service signed.</summary>
    public async Task<UnsubscribeTarget?> VerifyAsync(string token, CancellationToken ct)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 2 || token[0] is not ('o' or 's')
            || !long.TryParse(token.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return null;
        }

        var target = new UnsubscribeTarget(token[0] == 'o', id);
        var expected = Encoding.ASCII.GetBytes(await TokenAsync(target, ct));
        var given = Encoding.ASCII.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? target : null;
    }

    private static string Subject(UnsubscribeTarget target) =>
        string.Create(CultureInfo.InvariantCulture, $"{(target.IsOwner ? 'o' : 's')}{target.Id}");

    private async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (_key is { } key)
        {
            return key;
        }

        if (options.Value.UnsubscribeSecret is { Length: > 0 } configured)
        {
            return _key = Encoding.UTF8.GetBytes(configured);
        }

        var stored = await db.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateSecretSql,
                new { Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, transaction, cancellationToken: ct));
            return await connection.ExecuteScalarAsync<string>(new CommandDefinition(ReadSecretSql, transaction: transaction, cancellationToken: ct));
        }, ct);
        return _key = Convert.FromBase64String(stored!);
    }
}
