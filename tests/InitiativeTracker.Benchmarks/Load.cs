using System.Diagnostics;

namespace InitiativeTracker.Benchmarks;

/// <summary>Latencies of one scenario, in milliseconds.</summary>
internal sealed class Measurement(List<double> latencies, long failures, double seconds, long bytes)
{
    private readonly double[] _sorted = [.. latencies.Order()];

    public int Count => _sorted.Length;
    public long Failures { get; } = failures;
    public long Bytes { get; } = bytes;
    public double RequestsPerSecond => Count / seconds;
    public double Max => _sorted.Length == 0 ? 0 : _sorted[^1];

    public double P(double percentile) =>
        _sorted.Length == 0 ? 0 : _sorted[Math.Min(_sorted.Length - 1, (int)Math.Ceiling(percentile / 100 * _sorted.Length) - 1)];
}

internal static class Load
{
    public static async Task<Measurement> SequentialAsync(HttpClient client, int runs, Func<Random, HttpRequestMessage> request)
    {
        var random = new Random(1);
        var latencies = new List<double>(runs);
        long failures = 0, bytes = 0;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request(random), HttpCompletionOption.ResponseContentRead);
            bytes += (await response.Content.ReadAsByteArrayAsync()).Length;
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            failures += response.IsSuccessStatusCode ? 0 : 1;
        }

        return new Measurement(latencies, failures, total.Elapsed.TotalSeconds, bytes);
    }

    /// <summary>N workers each send the next request as soon as the last one is answered, for the duration.</summary>
    public static async Task<Measurement> ClosedLoopAsync(HttpClient client, int connections, TimeSpan duration, Func<Random, HttpRequestMessage> request)
    {
        // Warm up connections and caches before measuring.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
        {
            using var warm = await client.SendAsync(request(new Random(i)));
        }));

        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(async worker =>
        {
            var random = new Random(worker + 100);
            var latencies = new List<double>(4096);
            long failures = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request(random), HttpCompletionOption.ResponseContentRead);
                await response.Content.LoadIntoBufferAsync();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                failures += response.IsSuccessStatusCode ? 0 : 1;
            }

            return (latencies, failures);
        }).ToArray();
        var results = await Task.WhenAll(workers);
        return new Measurement([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.failures), duration.TotalSeconds, 0);
    }
}
