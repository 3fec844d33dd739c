using System.Diagnostics.Metrics;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// How long writes wait for <see cref="Db"/>'s write gate (<c>tracker.db.write_gate.wait</c>, seconds): the
/// queue in front of SQLite's one writer, which grows before anything else shows that writes are the limit.
/// </summary>
public sealed class WriteGateMetrics
{
    public const string MeterName = "InitiativeTracker";

    private readonly Histogram<double> _wait;

    public WriteGateMetrics(IMeterFactory meters) =>
        _wait = meters.Create(MeterName).CreateHistogram<double>("tracker.db.write_gate.wait", "s",
            "Time a write waited for the write gate before its transaction began.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public void Waited(TimeSpan wait) => _wait.Record(wait.TotalSeconds);
}
