using System.Threading.Channels;

namespace InitiativeTracker.Api.Infrastructure.Background;

/// <summary>
/// Wakes a background loop when work is queued for it (a webhook delivery, an email), so it acts at once
/// rather than at its next poll. Wakes that arrive while one is pending are one wake. Each loop has its
/// own subclass, so each is its own singleton.
/// </summary>
public abstract class WakeSignal
{
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wakes.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up, or until <paramref name="ct"/> is cancelled (a timeout or shutdown).</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        await _wakes.Reader.WaitToReadAsync(ct);
        _wakes.Reader.TryRead(out _);
    }
}
