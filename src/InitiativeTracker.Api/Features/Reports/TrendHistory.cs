using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>The trend's periods: how many points a range holds, and their dates.</summary>
internal static class TrendPeriods
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";

    public static readonly string[] Intervals = [Day, Week, Month];

    public const int MaxPoints = 366;

    /// <summary>The default range: 12 weeks before <c>to</c>.</summary>
    public static DateOnly DefaultFrom(DateOnly to) => to.AddDays(-7 * 12);

    /// <summary>Points from <paramref name="from"/> to <paramref name="to"/> (from ≤ to), counted without listing them.</summary>
    public static long Count(DateOnly from, DateOnly to, string interval) => interval switch
    {
        Day => to.DayNumber - from.DayNumber + 1,
        Week => FirstSunday(from) is var sunday && sunday < to ? ((to.DayNumber - sunday.DayNumber - 1) / 7) + 2 : 1,
        Month => (to.Year * 12) + to.Month - ((from.Year * 12) + from.Month) + 1,
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown interval."),
    };

    /// <summary>Each period's last day from the one holding <paramref name="from"/>, then <paramref name="to"/> itself.</summary>
    public static DateOnly[] Dates(DateOnly from, DateOnly to, string interval)
    {
        var dates = new List<DateOnly>();
        var end = interval switch
        {
            Day => from,
            Week => FirstSunday(from),
            _ => LastOfMonth(from),
        };
        while (end < to)
        {
            dates.Add(end);
            end = interval switch
            {
                Day => end.AddDays(1),
                Week => end.AddDays(7),
                _ => LastOfMonth(end.AddDays(1)),
            };
        }

        dates.Add(to);
        return [.. dates];
    }

    private static DateOnly FirstSunday(DateOnly date) => date.AddDays((7 - (int)date.DayOfWeek) % 7);

    private static DateOnly LastOfMonth(DateOnly date) => new(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month));
}

/// <summary>
/// Builds every point of a trend in one pass over history. Each initiative (of the filters) is held as a
/// small struct: its group, the point from which it exists, its current state (what a snapshot of today
/// or later reads) and its replayed state. The check-ins and deadline moves stream in the order of
/// <see cref="ReportSnapshot.CheckInHistory"/> and <see cref="ReportSnapshot.DeadlineHistory"/>; at each
/// period's end (the start of the next day in the report's zone, as <c>asOf</c>'s <c>@EndUtc</c>) every
/// event before it has been applied, so each replayed state is what the snapshot CTE would read for
/// that date, and one sweep over the structs counts the point. Memory is the structs (about 40 bytes an
/// initiative) and the points; the history is never held.
/// </summary>
internal static class TrendHistory
{
    private const int NoDate = int.MinValue;

    /// <summary>What the snapshot CTE holds of one initiative, as numbers.</summary>
    private struct State
    {
        public int Deadline;
        public int CompletedOn;
        public InitiativeStatus Status;
        public Health Health;
        public byte Progress;
    }

    private struct Initiative
    {
        public int Group;

        /// <summary>The first point whose snapshot holds it (it was created before the point's day ended); −1 when created before <c>from</c>.</summary>
        public int CreatedPoint;

        public State Current;
        public State Replayed;
    }

    /// <summary>A group's counts at one point.</summary>
    private struct Tally
    {
        public long Total, Planned, InProgress, Blocked, Done, Cancelled, ProgressSum, Overdue, AtRisk, OffTrack, DoneOnTime;
        public long Completed, CompletedOnTime, Created, DeadlineMoves;

        public readonly long Open => Planned + InProgress + Blocked;
    }

    private static readonly bool[] s_open = [.. Enum.GetValues<InitiativeStatus>().Select(s => s.IsOpen())];

    /// <summary>The points of each of <paramref name="groups"/> (by index), one per date.</summary>
    public static async Task<TrendPoint[][]> ReplayAsync(
        SqliteConnection connection, ReportQuery query, string? groupBy, ReportDay day, DateOnly from, DateOnly[] dates,
        IReadOnlyList<TrendGroup> groups, CancellationToken ct)
    {
        var ends = dates.Select(d => day.StartOf(d.AddDays(1))).ToArray();
        var start = day.StartOf(from);
        var historical = dates.Count(d => d < day.Today);

        var groupIndex = new Dictionary<long, int>();
        for (var g = 0; g < groups.Count; g++)
        {
            groupIndex[groups[g].GroupId ?? 0] = g;
        }

        var (initiatives, index) = await LoadAsync(connection, query, groupBy, groupIndex, ends, start, ct);

        // Two readers on one connection: one read transaction, so both see the same history.
        await using var checkIns = (historical > 0
            ? connection.QueryUnbufferedAsync<CheckInEvent>(ReportSnapshot.CheckInHistory, new { Until = ends[historical - 1] })
            : AsyncEnumerable.Empty<CheckInEvent>()).GetAsyncEnumerator(ct);
        await using var moves = connection.QueryUnbufferedAsync<DeadlineEvent>(ReportSnapshot.DeadlineHistory, new { Until = ends[^1] })
            .GetAsyncEnumerator(ct);
        var checkIn = await checkIns.MoveNextAsync() ? checkIns.Current : null;
        var move = await moves.MoveNextAsync() ? moves.Current : null;

        var points = groups.Select(_ => new TrendPoint[dates.Length]).ToArray();
        var tallies = new Tally[groups.Count];
        for (var p = 0; p < dates.Length; p++)
        {
            var end = ends[p];
            while (checkIn is not null && string.CompareOrdinal(checkIn.At, end) < 0)
            {
                if (index.TryGetValue(checkIn.InitiativeId, out var i))
                {
                    Apply(ref initiatives[i].Replayed, checkIn);
                }

                checkIn = await checkIns.MoveNextAsync() ? checkIns.Current : null;
            }

            while (move is not null && string.CompareOrdinal(move.At, end) < 0)
            {
                if (index.TryGetValue(move.InitiativeId, out var i))
                {
                    ref var initiative = ref initiatives[i];
                    initiative.Replayed.Deadline = SqlText.ParseDate(move.Deadline).DayNumber;
                    if (p > 0 || string.CompareOrdinal(move.At, start) >= 0)
                    {
                        tallies[initiative.Group].DeadlineMoves++;
                    }
                }

                move = await moves.MoveNextAsync() ? moves.Current : null;
            }

            var today = dates[p].DayNumber;
            var periodStart = p == 0 ? from.DayNumber : dates[p - 1].DayNumber + 1;
            Count(initiatives, tallies, p, p < historical, today, periodStart);
            for (var g = 0; g < tallies.Length; g++)
            {
                points[g][p] = Point(dates[p], tallies[g]);
            }

            Array.Clear(tallies);
        }

        return points;
    }

    private static void Apply(ref State state, CheckInEvent checkIn)
    {
        state.Status = EnumText.Parse<InitiativeStatus>(checkIn.Status);
        state.Progress = (byte)checkIn.Progress;
        state.Health = EnumText.Parse<Health>(checkIn.Health);
        state.CompletedOn = state.Status == InitiativeStatus.Done && checkIn.CompletedOn is { } on ? SqlText.ParseDate(on).DayNumber : NoDate;
    }

    /// <summary>One sweep: each initiative in the snapshot of point <paramref name="p"/> counted into its group's tally.</summary>
    private static void Count(Initiative[] initiatives, Tally[] tallies, int p, bool historical, int today, int periodStart)
    {
        for (var k = 0; k < initiatives.Length; k++)
        {
            ref var initiative = ref initiatives[k];
            if (historical && initiative.CreatedPoint > p)
            {
                continue;
            }

            ref var t = ref tallies[initiative.Group];
            ref var s = ref historical ? ref initiative.Replayed : ref initiative.Current;
            t.Total++;
            if (initiative.CreatedPoint == p)
            {
                t.Created++;
            }

            switch (s.Status)
            {
                case InitiativeStatus.Planned:
                    t.Planned++;
                    break;
                case InitiativeStatus.InProgress:
                    t.InProgress++;
                    break;
                case InitiativeStatus.Blocked:
                    t.Blocked++;
                    break;
                case InitiativeStatus.Done:
                    t.Done++;
                    break;
                case InitiativeStatus.Cancelled:
                    t.Cancelled++;
                    break;
            }

            if (s_open[(int)s.Status])
            {
                t.ProgressSum += s.Progress;
                t.Overdue += s.Deadline < today ? 1 : 0;
                t.AtRisk += s.Health == Health.AtRisk ? 1 : 0;
                t.OffTrack += s.Health == Health.OffTrack ? 1 : 0;
            }
            else if (s.Status == InitiativeStatus.Done && s.CompletedOn != NoDate)
            {
                var onTime = s.CompletedOn <= s.Deadline;
                t.DoneOnTime += onTime ? 1 : 0;
                if (s.CompletedOn >= periodStart && s.CompletedOn <= today)
                {
                    t.Completed++;
                    t.CompletedOnTime += onTime ? 1 : 0;
                }
            }
        }
    }

    /// <summary>
    /// The point of a tally, rounded as the progress report's SQL rounds: ROUND(AVG(progress), 1) rounds the
    /// decimal value half away from zero, which decimal arithmetic reproduces exactly.
    /// </summary>
    private static TrendPoint Point(DateOnly date, in Tally t) => new()
    {
        Date = date,
        Total = t.Total,
        Open = t.Open,
        Planned = t.Planned,
        InProgress = t.InProgress,
        Blocked = t.Blocked,
        Done = t.Done,
        Cancelled = t.Cancelled,
        MeanProgress = t.Open == 0 ? null : (double)Math.Round((decimal)t.ProgressSum / t.Open, 1, MidpointRounding.AwayFromZero),
        Overdue = t.Overdue,
        AtRisk = t.AtRisk,
        OffTrack = t.OffTrack,
        OnTimeRate = t.Done == 0 ? null : (double)t.DoneOnTime / t.Done,
        Completed = t.Completed,
        CompletedOnTime = t.CompletedOnTime,
        Created = t.Created,
        DeadlineMoves = t.DeadlineMoves,
    };

    /// <summary>The initiatives of the query's filters, streamed into structs; and each one's index by id.</summary>
    private static async Task<(Initiative[] Initiatives, Dictionary<long, int> Index)> LoadAsync(
        SqliteConnection connection, ReportQuery query, string? groupBy, Dictionary<long, int> groupIndex, string[] ends, string start, CancellationToken ct)
    {
        var groupColumn = groupBy is null ? "NULL" : ReportGrouping.InitiativeColumn(groupBy);
        var sql = $"""
            SELECT i.id AS Id, {groupColumn} AS GroupId, i.created_at AS CreatedAt, i.original_deadline AS OriginalDeadline,
                   i.deadline AS Deadline, i.status AS Status, i.progress AS Progress, i.health AS Health, i.completed_on AS CompletedOn
            FROM initiatives i WHERE {query.InitiativeFilters()}
            """;
        var initiatives = new List<Initiative>();
        var index = new Dictionary<long, int>();
        await foreach (var row in connection.QueryUnbufferedAsync<InitiativeRow>(sql, new { query.DirectionId, query.OwnerId, query.TaskForceId })
            .WithCancellation(ct))
        {
            var firstEnd = Array.BinarySearch(ends, row.CreatedAt, StringComparer.Ordinal);
            // The first point whose day ends after the creation (an end equal to it excludes it, as < @EndUtc does).
            var created = firstEnd >= 0 ? firstEnd + 1 : ~firstEnd;
            var status = EnumText.Parse<InitiativeStatus>(row.Status);
            index[row.Id] = initiatives.Count;
            initiatives.Add(new Initiative
            {
                Group = groupIndex.GetValueOrDefault(row.GroupId ?? 0),
                CreatedPoint = created == 0 && string.CompareOrdinal(row.CreatedAt, start) < 0 ? -1 : created,
                Current = new State
                {
                    Deadline = SqlText.ParseDate(row.Deadline).DayNumber,
                    CompletedOn = row.CompletedOn is { } on ? SqlText.ParseDate(on).DayNumber : NoDate,
                    Status = status,
                    Health = EnumText.Parse<Health>(row.Health),
                    Progress = (byte)row.Progress,
                },
                // Before any check-in: planned, 0, on track, by its original deadline.
                Replayed = new State
                {
                    Deadline = SqlText.ParseDate(row.OriginalDeadline).DayNumber,
                    CompletedOn = NoDate,
                    Status = InitiativeStatus.Planned,
                    Health = Health.OnTrack,
                    Progress = 0,
                },
            });
        }

        return ([.. initiatives], index);
    }

    private sealed class InitiativeRow
    {
        public long Id { get; init; }
        public long? GroupId { get; init; }
        public string CreatedAt { get; init; } = "";
        public string OriginalDeadline { get; init; } = "";
        public string Deadline { get; init; } = "";
        public string Status { get; init; } = "";
        public int Progress { get; init; }
        public string Health { get; init; } = "";
        public string? CompletedOn { get; init; }
    }

    private sealed class CheckInEvent
    {
        public long InitiativeId { get; init; }
        public string At { get; init; } = "";
        public string Status { get; init; } = "";
        public int Progress { get; init; }
        public string Health { get; init; } = "";
        public string? CompletedOn { get; init; }
    }

    private sealed class DeadlineEvent
    {
        public long InitiativeId { get; init; }
        public string At { get; init; } = "";
        public string Deadline { get; init; } = "";
    }
}
