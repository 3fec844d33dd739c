namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// A small ext4 file system in an image file on a loop device, mounted <c>errors=remount-ro</c>, for the one
/// storage fault a tmpfs cannot show: an I/O error under open files. <see cref="FailAsync"/> makes the kernel
/// record a file-system error (<c>/sys/fs/ext4/&lt;dev&gt;/trigger_fs_error</c>), after which every write to
/// it fails as a failing disk's would (EROFS, which SQLite reports as SQLITE_IOERR). Like <see cref="Tmpfs"/>
/// it needs root with CAP_SYS_ADMIN and a loop device, and fails the test saying so where it has neither.
/// </summary>
public sealed class Ext4Volume : IAsyncDisposable
{
    private readonly string _image;
    private readonly string _device;

    private Ext4Volume(string path, string image, string device)
    {
        Path = path;
        _image = image;
        _device = device;
    }

    public string Path { get; }

    public static async Task<Ext4Volume> MountAsync()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "initiative-tracker-tests", $"ext4-{Guid.NewGuid():N}");
        var path = System.IO.Path.Combine(root, "mnt");
        var image = System.IO.Path.Combine(root, "volume.img");
        Directory.CreateDirectory(path);
        using (var file = File.Create(image))
        {
            file.SetLength(32 * 1024 * 1024);
        }

        await MustAsync("mkfs.ext4", "-q", "-F", image);
        var (code, device) = await Commands.RunAsync("losetup", "-f", "--show", image);
        if (code != 0)
        {
            throw new InvalidOperationException($"This test needs a loop device and could not attach one (losetup exited {code}: {device.Trim()}). "
                + "Run the tests as root with CAP_SYS_ADMIN and /dev/loop-control (as CI does).");
        }

        device = device.Trim();
        await MustAsync("mount", "-o", "errors=remount-ro", device, path);
        return new Ext4Volume(path, image, device);
    }

    /// <summary>Records a file-system error: from now on nothing can be written to the volume until it is checked and mounted again.</summary>
    public Task FailAsync() =>
        File.WriteAllTextAsync($"/sys/fs/ext4/{System.IO.Path.GetFileName(_device)}/trigger_fs_error", "test: simulated I/O error\n");

    /// <summary>What an operator does after such an error, once the service is stopped: unmount, check, mount again.</summary>
    public async Task RepairAsync()
    {
        await MustAsync("umount", Path);
        // e2fsck exits 1 when it corrected something: a repaired file system, which is the point.
        var (code, output) = await Commands.RunAsync("e2fsck", "-f", "-y", _device);
        if (code is not (0 or 1))
        {
            throw new InvalidOperationException($"e2fsck exited {code}: {output}");
        }

        await MustAsync("mount", "-o", "errors=remount-ro", _device, Path);
    }

    public async ValueTask DisposeAsync()
    {
        await Commands.RunAsync("umount", "-l", Path);
        await Commands.RunAsync("losetup", "-d", _device);
        File.Delete(_image);
    }

    private static async Task MustAsync(string file, params string[] arguments)
    {
        var (code, output) = await Commands.RunAsync(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {output.Trim()} "
                + "(this test needs root with CAP_SYS_ADMIN, as CI has).");
        }
    }
}
