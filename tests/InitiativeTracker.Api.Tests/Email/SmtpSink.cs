using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>What the sink does with a message it receives.</summary>
public enum SinkBehaviour
{
    /// <summary>Keeps it and answers 250.</summary>
    Accept,

    /// <summary>Answers 554 after the data (a permanent refusal).</summary>
    Refuse,

    /// <summary>Answers nothing for longer than the tracker's SMTP timeout (then 250, to a client long gone).</summary>
    Stall,
}

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port of its own, in this process: the tracker
/// sends to it with MailKit as to any server. Every message that reaches the end of its data is parsed with
/// MimeKit into <see cref="Attempts"/>; those it accepted are also in <see cref="Received"/>.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    public const string RefusalText = "5.7.1 Message refused by policy";

    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    public SmtpSink()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public SinkBehaviour Behaviour { get; set; } = SinkBehaviour.Accept;

    /// <summary>How long <see cref="SinkBehaviour.Stall"/> keeps the client waiting.</summary>
    public static readonly TimeSpan StallFor = TimeSpan.FromSeconds(4);

    public ConcurrentQueue<MimeMessage> Attempts { get; } = new();

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>The SMTP envelope recipients of each accepted message, in the order of <see cref="Received"/>.</summary>
    public ConcurrentQueue<string[]> Envelopes { get; } = new();

    /// <summary>Takes the accepted messages received so far, leaving none.</summary>
    public List<MimeMessage> Take()
    {
        List<MimeMessage> taken = [];
        while (Received.TryDequeue(out var message))
        {
            taken.Add(message);
        }

        Envelopes.Clear();
        return taken;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink.Attempts.Enqueue(message);
            switch (sink.Behaviour)
            {
                case SinkBehaviour.Refuse:
                    return new SmtpResponse(SmtpReplyCode.TransactionFailed, RefusalText);
                case SinkBehaviour.Stall:
                    await Task.Delay(StallFor, CancellationToken.None);
                    return SmtpResponse.Ok;
                default:
                    sink.Envelopes.Enqueue([.. transaction.To.Select(m => $"{m.User}@{m.Host}")]);
                    sink.Received.Enqueue(message);
                    return SmtpResponse.Ok;
            }
        }
    }
}

/// <summary>
/// An SMTP server that drops the connection in the middle of a message: it answers the greeting, EHLO,
/// MAIL, RCPT and DATA as a server would, reads the first bytes of the message, and closes the socket.
/// Raw TCP, because no well-behaved server library does that on purpose.
/// </summary>
public sealed class DroppingSmtpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _drops;

    public DroppingSmtpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How many connections were dropped after DATA.</summary>
    public int Drops => Volatile.Read(ref _drops);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            async Task Reply(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            try
            {
                await Reply("220 dropping.localhost ESMTP");
                while (await reader.ReadLineAsync() is { } line)
                {
                    var verb = line.Split(' ')[0].ToUpperInvariant();
                    if (verb is "EHLO" or "HELO")
                    {
                        await Reply("250 dropping.localhost");
                    }
                    else if (verb == "DATA")
                    {
                        await Reply("354 Start mail input; end with <CRLF>.<CRLF>");
                        // Part of the message, then the connection goes: no reply to the data ever comes.
                        await reader.ReadLineAsync();
                        Interlocked.Increment(ref _drops);
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                    else if (verb == "QUIT")
                    {
                        await Reply("221 Bye");
                        return;
                    }
                    else
                    {
                        await Reply("250 OK");
                    }
                }
            }
            catch (IOException)
            {
                // The client went first.
            }
        }
    }
}
