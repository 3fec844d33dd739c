using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Time;

/// <summary>
/// "Now" and "today" for the whole service. Deadlines are dates, so "today" is the calendar date in the
/// tracker's time zone (or a report's <c>tz</c>) at the current instant of the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class TrackerClock(TimeProvider time, IOptions<TrackerOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>The current instant, UTC, truncated to the millisecond we store.</summary>
    public DateTime UtcNow
    {
        get
        {
            var now = time.GetUtcNow().UtcDateTime;
            return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        }
    }

    /// <summary><see cref="UtcNow"/> in the stored text form.</summary>
    public string UtcNowText => SqlText.Timestamp(UtcNow);

    public DateOnly Today => TodayIn(Zone);

    public DateOnly TodayIn(TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone));
}
