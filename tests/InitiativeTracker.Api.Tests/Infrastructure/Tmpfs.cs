namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// A size-limited tmpfs of the test's own (<c>mount -t tmpfs -o size=…</c>), for faults only a real file
/// system shows: a full disk, a read-only directory. Mounting needs root with CAP_SYS_ADMIN (CI runs as
/// root); where it is refused the test fails saying so, rather than passing without having checked anything.
/// Read-only is a remount of the whole tmpfs: root ignores permission bits, so <c>chmod</c> cannot show it.
/// </summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static async Task<Tmpfs> MountAsync(string size)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "initiative-tracker-tests", $"tmpfs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var (code, output) = await Commands.RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path);
        if (code != 0)
        {
            throw new InvalidOperationException($"This test needs a tmpfs of its own and could not mount one at {path} (mount exited {code}: {output.Trim()}). "
                + "Run the tests as root with CAP_SYS_ADMIN (as CI does), or exclude them with --filter Category!=Faults knowingly.");
        }

        return new Tmpfs(path);
    }

    /// <summary>Remounts the file system read-only (or writable again); refused while a file on it is open for writing.</summary>
    public async Task RemountAsync(bool readOnly)
    {
        var (code, output) = await Commands.RunAsync("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);
        if (code != 0)
        {
            throw new InvalidOperationException($"Remounting {Path} {(readOnly ? "read-only" : "writable")} failed ({code}): {output.Trim()}");
        }
    }

    /// <summary>Fills the file system with one file until a write fails for want of space; returns the file.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var block = new byte[16 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. What fitted of the last block stays.
        }

        return filler;
    }

    public async ValueTask DisposeAsync()
    {
        await Commands.RunAsync("umount", "-l", Path);
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
            // Still mounted (the lazy unmount completes when its last file closes): left in the temp directory.
        }
    }
}
