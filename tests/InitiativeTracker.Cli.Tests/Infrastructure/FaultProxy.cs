using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InitiativeTracker.Cli.Tests.Infrastructure;

/// <summary>What the proxy does with one request.</summary>
public enum Fault
{
    /// <summary>Forward it and pass the answer back.</summary>
    None,

    /// <summary>Forward it, wait for the whole answer (so the service has done the work), and close the
    /// client's connection without passing any of it on: the answer is lost on the way.</summary>
    LoseAnswer,
}

/// <summary>
/// A TCP proxy in front of the service that sees each request (one per connection: it asks the service
/// to close after answering), can answer it itself or lose the service's answer, and forwards to
/// whichever address <see cref="Upstream"/> names now, so the service can be restarted behind it.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly Task _accepting;

    public FaultProxy(Uri upstream)
    {
        Upstream = upstream;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    public Uri Upstream { get; set; }

    /// <summary>Answers the proxy sends itself instead of forwarding (raw HTTP/1.1 responses), by request head; null forwards.</summary>
    public Func<string, string?> Answer { get; set; } = _ => null;

    /// <summary>What to do with the service's answer to a request, by request head; called once the answer is complete.</summary>
    public Func<string, Task<Fault>> OnAnswer { get; set; } = _ => Task.FromResult(Fault.None);

    /// <summary>Every request head seen (request line and headers), in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static string Header(string head, string name) =>
        head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).SingleOrDefault() ?? "";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (head, body) = await ReadRequestAsync(stream);
                if (head is null)
                {
                    return;
                }

                lock (_requests)
                {
                    _requests.Add(head);
                }

                if (Answer(head) is { } canned)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(canned), _stop.Token);
                    return;
                }

                byte[] answer;
                using (var upstream = new TcpClient())
                {
                    try
                    {
                        await upstream.ConnectAsync(Upstream.Host, Upstream.Port, _stop.Token);
                    }
                    catch (SocketException)
                    {
                        // The service is down: the client sees its connection close with no answer.
                        Reset(client);
                        return;
                    }

                    var forward = upstream.GetStream();
                    await forward.WriteAsync(Encoding.ASCII.GetBytes(WithConnectionClose(head)), _stop.Token);
                    await forward.WriteAsync(body, _stop.Token);
                    using var received = new MemoryStream();
                    try
                    {
                        await forward.CopyToAsync(received, _stop.Token);
                    }
                    catch (IOException)
                    {
                        // The service died while answering: pass on what came.
                    }

                    answer = received.ToArray();
                }

                if (answer.Length == 0 || await OnAnswer(head) == Fault.LoseAnswer)
                {
                    Reset(client);
                    return;
                }

                await stream.WriteAsync(answer, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away, or the proxy is stopping.
            }
        }
    }

    private static void Reset(TcpClient client)
    {
        client.LingerState = new LingerOption(true, 0);
        client.Close();
    }

    private static string WithConnectionClose(string head)
    {
        var lines = head.Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase));
        return string.Join("\r\n", lines) + "\r\nConnection: close\r\n\r\n";
    }

    /// <summary>The request head (without its closing blank line) and its Content-Length body.</summary>
    private async Task<(string? Head, byte[] Body)> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return (null, []);
            }

            buffer.Add(one[0]);
        }

        var head = Encoding.ASCII.GetString(buffer.ToArray(), 0, buffer.Count - 4);
        var length = int.TryParse(Header(head, "Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return (head, body);

        static bool EndsWithBlankLine(List<byte> b) =>
            b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';
    }
}
