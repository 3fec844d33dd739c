using System.Globalization;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>An outbox row as the sender needs it.</summary>
internal sealed record OutgoingEmail
{
    public long Id { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public required string HtmlBody { get; init; }
    public string? UnsubscribeUrl { get; init; }
    public long Attempts { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>One attempt's outcome: sent, or the server's answer (or what went wrong) otherwise.</summary>
internal sealed record SendOutcome(bool Sent, string? Error);

/// <summary>
/// Sends one email over SMTP with MailKit: a connection per attempt, TLS as <c>Tracker:Email:Smtp:Security</c>
/// says, login when a user name is set. The message is composed from the outbox row alone, so every
/// attempt sends the same bytes under the same <c>Message-ID</c>.
/// </summary>
internal sealed class EmailSender(IOptions<EmailOptions> options)
{
    public async Task<SendOutcome> SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        var settings = options.Value;
        var message = Compose(email, settings);
        using var client = new SmtpClient { Timeout = settings.Smtp.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, SocketOptions(settings.Smtp.Security), ct);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new SendOutcome(false, Describe(e));
        }

        // The server accepted the message: it is sent, whatever QUIT does.
        try
        {
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A connection that fails after the message was accepted changes nothing.
        }

        return new SendOutcome(true, null);
    }

    /// <summary>The message: <c>multipart/alternative</c> of UTF-8 text and HTML, with the one-click unsubscribe pair when it has a link.</summary>
    public static MimeMessage Compose(OutgoingEmail email, EmailOptions settings)
    {
        var message = new MimeMessage();
        message.From.Add(settings.Sender());
        message.To.Add(MailboxAddress.Parse(email.Recipient));
        message.Subject = email.Subject;
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(email.CreatedAt, DateTimeKind.Utc));
        message.MessageId = MessageId(email, settings);
        if (email.UnsubscribeUrl is { } url)
        {
            // RFC 8058: a POST of "List-Unsubscribe=One-Click" to this HTTPS (or HTTP) URL unsubscribes.
            message.Headers.Add("List-Unsubscribe", $"<{url}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var text = new TextPart(TextFormat.Plain);
        text.SetText("utf-8", email.TextBody);
        var html = new TextPart(TextFormat.Html);
        html.SetText("utf-8", email.HtmlBody);
        message.Body = new MultipartAlternative { text, html };
        return message;
    }

    /// <summary>
    /// Derived from the outbox row (its id and the instant it was queued) and the public URL's host: the same
    /// on every retry, and different for every row, even across databases that reuse ids.
    /// </summary>
    public static string MessageId(OutgoingEmail email, EmailOptions settings) =>
        string.Create(CultureInfo.InvariantCulture,
            $"tracker.{email.Id}.{email.CreatedAt:yyyyMMddHHmmssfff}@{new Uri(settings.BaseUrl()).IdnHost}");

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>What went wrong, as short as it is useful: the server's own answer when it gave one.</summary>
    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException command => string.Create(CultureInfo.InvariantCulture, $"{(int)command.StatusCode} {command.Message}"),
        SmtpProtocolException protocol => $"SMTP protocol error: {protocol.Message}",
        TimeoutException or OperationCanceledException => $"Timed out: {e.Message}",
        ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException => $"Connection failed: {e.Message}",
        AuthenticationException => $"Login refused: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
