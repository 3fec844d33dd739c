namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>The repository the tests run from, and the machine's packages that some tests drive for real.</summary>
public static class Repository
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    /// <summary>The folder holding <c>InitiativeTracker.sln</c>, above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// When one of <paramref name="files"/> is missing, installs <paramref name="packages"/> with
    /// <c>tests/system-packages.sh</c> (the script <c>.ci/run</c> runs before the tests); fails with the
    /// script's output when they still are not there.
    /// </summary>
    public static async Task EnsureSystemPackagesAsync(IReadOnlyList<string> files, params string[] packages)
    {
        await s_install.WaitAsync();
        try
        {
            if (files.All(File.Exists))
            {
                return;
            }

            var (code, output) = await Commands.RunAsync(PathOf("tests", "system-packages.sh"), packages);
            if (!files.All(File.Exists))
            {
                throw new InvalidOperationException(
                    $"This test needs {string.Join(" and ", files)} (Debian packages {string.Join(", ", packages)}); tests/system-packages.sh exited {code}:\n{output}");
            }
        }
        finally
        {
            s_install.Release();
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "InitiativeTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("InitiativeTracker.sln not found above the test binaries.");
    }
}
