namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Before serving, the database's directory must exist (it is created if it can be) and be writable:
/// SQLite writes the database, its <c>-wal</c> and <c>-shm</c> files and the lock file there. Without this
/// a read-only directory surfaced as a misleading lock message or a stack trace from the migrator; with
/// it the start is refused with one line naming the directory and what to do (exit code
/// <see cref="StartupSettings.ExitCode"/>), as a bad setting is.
/// </summary>
public static class DataDirectory
{
    public static bool Check(Db db, TextWriter error)
    {
        if (!Path.IsPathRooted(db.DataSource))
        {
            return true;
        }

        var directory = Path.GetDirectoryName(db.DataSource)!;
        if (!Directory.Exists(directory))
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"The data directory {directory} does not exist and cannot be created ({e.Message}). "
                    + "Create it, writable by the service's user, or point ConnectionStrings:Tracker elsewhere.");
                return false;
            }
        }

        try
        {
            // A file of its own (two hosts in one process may check at once), removed on close: whether files can be created here.
            using (new FileStream(Path.Combine(directory, $".write-check-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            if (File.Exists(db.DataSource))
            {
                using var file = new FileStream(db.DataSource, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"The data directory {directory} is not writable ({e.Message}): the service keeps its database there. "
                + "Make it writable by the service's user, or point ConnectionStrings:Tracker elsewhere.");
            return false;
        }
    }
}
