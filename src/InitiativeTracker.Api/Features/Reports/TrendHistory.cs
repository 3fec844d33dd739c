using System.Buffers;
using InitiativeTracker.Api.Features.Initiatives;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>A trend's period: a point at the end of each day, ISO week (Monday to Sunday) or calendar month.</summary>
/// <remarks>The request binds <c>interval</c> as text held to this type's names (<see cref="EnumText"/>); the answer names it with this type.</remarks>
internal enum TrendInterval
{
    Day,
    Week,
    Month,
}

/// <summary>The trend's periods: how many points a range holds, and their dates.</summary>
internal static class TrendPeriods
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";

    /// <summary>The period a validated <c>interval</c> names.</summary>
    public static TrendInterval Of(string interval) => EnumText.Parse<TrendInterval>(interval);

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
/// or later reads) and its replayed state. Period by period, the check-ins and deadline moves made up to
/// the period's end (the start of the next day in the report's zone, as <c>asOf</c>'s <c>@EndUtc</c>)
/// are applied in the order of <see cref="ReportSnapshot.CheckInHistory"/> and
/// <see cref="ReportSnapshot.DeadlineHistory"/>, so each replayed state is what the snapshot CTE would read
/// for that date, and one sweep over the structs counts the point. Every row is read as integers, with no
/// object per row: the history is never held, and memory is the structs (32 bytes an initiative, pooled),
/// the id index and the points. All of it is read in one read transaction, so it is one state of history.
/// </summary>
internal static class TrendHistory
{
    private const int NoDate = int.MinValue;

    /// <summary>What the snapshot CTE holds of one initiative, as numbers (12 bytes).</summary>
    private struct State
    {
        public int Deadline;
        public int CompletedOn;

        /// <summary>An <see cref="InitiativeStatus"/>.</summary>
        public byte Status;

        /// <summary>A <see cref="Initiatives.Health"/>.</summary>
        public byte Health;

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

        // Deferred: the snapshot of the database is taken at the first read and held to the end (WAL).
        await using var transaction = connection.BeginTransaction(deferred: true);
        // The structs and the id index come from a pool: allocated anew for each trend, these large arrays
        // were garbage only a full collection frees, and ten trends in a row grew the process by 50 MB.
        using var loaded = await LoadAsync(connection, transaction, query, groupBy, groupIndex, ends, start, ct);
        var (initiatives, index) = (loaded.Initiatives, loaded.Index);

        // One prepared statement each, run once per period over [previous end, this end).
        await using var checkIns = History(connection, transaction, ReportSnapshot.CheckInHistory);
        await using var moves = History(connection, transaction, ReportSnapshot.DeadlineHistory);
        moves.Parameters.AddWithValue("@Since", start);

        var points = groups.Select(_ => new TrendPoint[dates.Length]).ToArray();
        var tallies = new Tally[groups.Count];
        var after = "";
        for (var p = 0; p < dates.Length; p++)
        {
            // The rows are read with Read, not ReadAsync: Microsoft.Data.Sqlite runs the async methods
            // synchronously anyway, and a million awaits were about a sixth of the trend's time.
            ct.ThrowIfCancellationRequested();
            var end = ends[p];
            if (p < historical)
            {
                checkIns.Parameters["@After"].Value = after;
                checkIns.Parameters["@Until"].Value = end;
                await using var reader = await checkIns.ExecuteReaderAsync(ct);
                while (reader.Read())
                {
                    if (index.TryGetValue(reader.GetInt64(0), out var i))
                    {
                        ref var replayed = ref initiatives[i].Replayed;
                        Unpack(ref replayed, reader.GetInt64(1), replayed.Deadline);
                    }
                }
            }

            moves.Parameters["@After"].Value = after;
            moves.Parameters["@Until"].Value = end;
            await using (var reader = await moves.ExecuteReaderAsync(ct))
            {
                while (reader.Read())
                {
                    if (index.TryGetValue(reader.GetInt64(0), out var i))
                    {
                        ref var initiative = ref initiatives[i];
                        initiative.Replayed.Deadline = reader.GetInt32(1);
                        // Made within the trend: the first period's moves count from `from`.
                        tallies[initiative.Group].DeadlineMoves += reader.GetInt64(2);
                    }
                }
            }

            after = end;
            var today = dates[p].DayNumber;
            var periodStart = p == 0 ? from.DayNumber : dates[p - 1].DayNumber + 1;
            Count(initiatives.AsSpan(0, loaded.Count), tallies, p, p < historical, today, periodStart);
            for (var g = 0; g < tallies.Length; g++)
            {
                points[g][p] = Point(dates[p], tallies[g]);
            }

            Array.Clear(tallies);
        }

        return points;
    }

    private static SqliteCommand History(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add("@After", SqliteType.Text);
        command.Parameters.Add("@Until", SqliteType.Text);
        return command;
    }

    /// <summary>
    /// A state packed by <see cref="ReportSnapshot.PackedState"/>; a check-in's carries no deadline, which
    /// <paramref name="deadline"/> keeps.
    /// </summary>
    private static void Unpack(ref State state, long packed, int deadline)
    {
        var status = (int)(packed & ReportSnapshot.UnknownStatus);
        var health = (int)(packed >> ReportSnapshot.HealthShift) & ReportSnapshot.UnknownHealth;
        if (status == ReportSnapshot.UnknownStatus || health == ReportSnapshot.UnknownHealth)
        {
            throw new FormatException($"A stored status or health is not one of {EnumText.Names<InitiativeStatus>()} or {EnumText.Names<Health>()}.");
        }

        var completedOn = (int)(packed >> ReportSnapshot.CompletedShift) & ((1 << ReportSnapshot.CompletedBits) - 1);
        state.Status = (byte)status;
        state.Health = (byte)health;
        state.Progress = (byte)((packed >> ReportSnapshot.ProgressShift) & ((1 << ReportSnapshot.ProgressBits) - 1));
        state.CompletedOn = completedOn == 0 ? NoDate : completedOn;
        state.Deadline = deadline;
    }

    /// <summary>One sweep: each initiative in the snapshot of point <paramref name="p"/> counted into its group's tally.</summary>
    private static void Count(Span<Initiative> initiatives, Tally[] tallies, int p, bool historical, int today, int periodStart)
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

            switch ((InitiativeStatus)s.Status)
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
                t.AtRisk += s.Health == (byte)Health.AtRisk ? 1 : 0;
                t.OffTrack += s.Health == (byte)Health.OffTrack ? 1 : 0;
            }
            else if (s.Status == (byte)InitiativeStatus.Done && s.CompletedOn != NoDate)
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
    private static async Task<Loaded> LoadAsync(
        SqliteConnection connection, SqliteTransaction transaction, ReportQuery query, string? groupBy, Dictionary<long, int> groupIndex,
        string[] ends, string start, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var (name, value) in new[] { ("@DirectionId", query.DirectionId), ("@OwnerId", query.OwnerId), ("@TaskForceId", query.TaskForceId) })
        {
            if (value is not null)
            {
                command.Parameters.AddWithValue(name, value);
            }
        }

        // Counted first, so the structs and the index are taken once at their size.
        command.CommandText = $"SELECT COUNT(*), MIN(i.id), MAX(i.id) FROM initiatives i WHERE {query.InitiativeFilters()}";
        int count;
        long minId, maxId;
        await using (var bounds = await command.ExecuteReaderAsync(ct))
        {
            await bounds.ReadAsync(ct);
            count = bounds.GetInt32(0);
            (minId, maxId) = count == 0 ? (1, 0) : (bounds.GetInt64(1), bounds.GetInt64(2));
        }

        var loaded = new Loaded(count, minId, maxId);
        try
        {
            await FillAsync(command, loaded, groupBy, groupIndex, ends, start, query, ct);
            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static async Task FillAsync(
        SqliteCommand command, Loaded loaded, string? groupBy, Dictionary<long, int> groupIndex, string[] ends, string start, ReportQuery query,
        CancellationToken ct)
    {
        var (initiatives, index, count) = (loaded.Initiatives, loaded.Index, loaded.Count);
        var groupColumn = groupBy is null ? "NULL" : ReportGrouping.InitiativeColumn(groupBy);
        command.CommandText = $"""
            SELECT i.id, {groupColumn}, i.created_at, {ReportSnapshot.DayNumber("i.original_deadline")},
                   {ReportSnapshot.PackedState("i.status", "i.health", "i.progress", "i.completed_on", "i.deadline")}
            FROM initiatives i WHERE {query.InitiativeFilters()}
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var k = 0;
        while (k < count && reader.Read())
        {
            var createdAt = reader.GetString(2);
            var firstEnd = Array.BinarySearch(ends, createdAt, StringComparer.Ordinal);
            // The first point whose day ends after the creation (an end equal to it excludes it, as < @EndUtc does).
            var created = firstEnd >= 0 ? firstEnd + 1 : ~firstEnd;
            var packed = reader.GetInt64(4);
            index.Add(reader.GetInt64(0), k);
            ref var initiative = ref initiatives[k++];
            initiative.Group = groupIndex.GetValueOrDefault(reader.IsDBNull(1) ? 0 : reader.GetInt64(1));
            initiative.CreatedPoint = created == 0 && string.CompareOrdinal(createdAt, start) < 0 ? -1 : created;
            Unpack(ref initiative.Current, packed, (int)(packed >> ReportSnapshot.DeadlineShift));
            // Before any check-in: planned, 0, on track, by its original deadline.
            initiative.Replayed = new State
            {
                Deadline = reader.GetInt32(3),
                CompletedOn = NoDate,
                Status = (byte)InitiativeStatus.Planned,
                Health = (byte)Health.OnTrack,
                Progress = 0,
            };
        }

        loaded.Count = k;
    }

    /// <summary>
    /// Pools that keep one array of each size, whichever thread returned it. The shared pool also keeps one
    /// per thread, so trends served on several threads each left their 4 MiB arrays behind: with these
    /// pools the benchmark's RSS after ten trends at 100k fell from 135 to 128 MB.
    /// </summary>
    private const int MaxPooledLength = 1 << 23;

    private static readonly ArrayPool<Initiative> s_initiatives = ArrayPool<Initiative>.Create(MaxPooledLength, maxArraysPerBucket: 1);
    private static readonly ArrayPool<int> s_places = ArrayPool<int>.Create(MaxPooledLength, maxArraysPerBucket: 1);

    /// <summary>The initiatives as structs (the first <see cref="Count"/> of a pooled array) and their index by id.</summary>
    private sealed class Loaded(int count, long minId, long maxId) : IDisposable
    {
        public Initiative[] Initiatives { get; } = s_initiatives.Rent(count);

        public int Count { get; set; } = count;

        public IdIndex Index { get; } = new(minId, maxId, count);

        public void Dispose()
        {
            s_initiatives.Return(Initiatives);
            Index.Dispose();
        }
    }

    /// <summary>
    /// Each initiative's place by id: an array over the range of ids when they are dense (ids are never
    /// reused, so a whole table's are), looked up without hashing a million times; else a dictionary.
    /// </summary>
    private sealed class IdIndex : IDisposable
    {
        private readonly long _minId;
        private readonly int _length;

        /// <summary>Place + 1 at id − minId; 0 for an id not loaded.</summary>
        private readonly int[]? _dense;
        private readonly Dictionary<long, int>? _sparse;

        public IdIndex(long minId, long maxId, int count)
        {
            _minId = minId;
            var range = maxId - minId + 1;
            if (count > 0 && range <= (4L * count) + 4096)
            {
                _length = (int)range;
                _dense = s_places.Rent(_length);
                Array.Clear(_dense, 0, _length);
            }
            else
            {
                _sparse = new Dictionary<long, int>(count);
            }
        }

        public void Add(long id, int place)
        {
            if (_dense is not null)
            {
                _dense[id - _minId] = place + 1;
            }
            else
            {
                _sparse![id] = place;
            }
        }

        public bool TryGetValue(long id, out int place)
        {
            if (_dense is null)
            {
                return _sparse!.TryGetValue(id, out place);
            }

            var offset = (ulong)(id - _minId);
            place = offset < (ulong)_length ? _dense[offset] - 1 : -1;
            return place >= 0;
        }

        public void Dispose()
        {
            if (_dense is not null)
            {
                s_places.Return(_dense);
            }
        }
    }
}
