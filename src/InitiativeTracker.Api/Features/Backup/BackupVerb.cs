using Dapper;
using InitiativeTracker.Api.Infrastructure;
using InitiativeTracker.Api.Infrastructure.Database;

namespace InitiativeTracker.Api.Features.Backup;

/// <summary>
/// The <c>backup &lt;file&gt;</c> command-line verb: a consistent online copy of the configured database,
/// taken while the service keeps serving writes. <c>VACUUM INTO</c> reads one snapshot (WAL lets the
/// writer go on) and writes a compact, self-contained file, which is then integrity-checked. The copy
/// holds every write committed before the backup began. Restore: stop the service, replace the
/// database file with the copy (removing its <c>-wal</c> and <c>-shm</c> files), start the service.
/// </summary>
internal sealed class BackupVerb : ICommandLineVerb
{
    public const string Verb = "backup";
    private const string RecordRun = "INSERT INTO backup_runs (completed_at, destination, bytes) VALUES (@completedAt, @destination, @bytes);";

    public const string Usage = "Usage: backup <destination file (must not exist)> [--ConnectionStrings:Tracker=<source>]";

    private readonly string? _destination;

    private BackupVerb(string? destination, string[] hostArgs)
    {
        _destination = destination;
        HostArgs = hostArgs;
    }

    public string[] HostArgs { get; }

    public static BackupVerb? FromArgs(string[] args)
    {
        if (args.Length == 0 || args[0] != Verb)
        {
            return null;
        }

        var destination = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
        return new BackupVerb(destination, args.Skip(destination is null ? 1 : 2).ToArray());
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_destination))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var destination = Path.GetFullPath(_destination);
        var db = services.GetRequiredService<Db>();
        if (File.Exists(destination))
        {
            await error.WriteLineAsync($"{destination} already exists: name a new file.");
            return 1;
        }

        if (!File.Exists(db.DataSource))
        {
            await error.WriteLineAsync($"There is no database at {db.DataSource} to back up.");
            return 1;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await using (var connection = await db.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition("VACUUM INTO @destination;", new { destination }, cancellationToken: ct));
        }

        await using (var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={destination};Mode=ReadOnly;Pooling=False"))
        {
            await copy.OpenAsync(ct);
            var check = await copy.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA integrity_check;", cancellationToken: ct));
            if (check != "ok")
            {
                await error.WriteLineAsync($"The copy failed its integrity check: {check}");
                return 1;
            }
        }

        // Recorded in the live database once the copy is known good, for the time-since-last-backup gauge
        // (/metrics). The copy itself does not hold its own row: it was taken before.
        var bytes = new FileInfo(destination).Length;
        var completedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(RecordRun,
            new { completedAt, destination, bytes }, transaction, cancellationToken: ct)), ct);

        await output.WriteLineAsync(destination);
        await error.WriteLineAsync($"Backed up {db.DataSource} to {destination} ({bytes} bytes, integrity ok).");
        return 0;
    }
}
