namespace InitiativeTracker.Client.Tests.Infrastructure;

internal static class Repository
{
    /// <summary>The folder holding InitiativeTracker.sln, above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

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
