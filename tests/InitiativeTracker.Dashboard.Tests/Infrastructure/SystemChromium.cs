using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Dashboard.Tests.Infrastructure;

/// <summary>
/// The distribution's Chromium and the CJK fonts the dashboard's Chinese names need (Playwright's own
/// browser download cannot be reached from CI), installed by <c>tests/system-packages.sh</c> when missing;
/// an install that cannot be done fails the tests with the script's output.
/// </summary>
public static class SystemChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private const string CjkFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    /// <summary>Chromium refuses to start its sandbox as root, which is how CI runs.</summary>
    public static IReadOnlyList<string> Arguments => Environment.UserName == "root" ? ["--no-sandbox"] : [];

    public static Task EnsureInstalledAsync() => Repository.EnsureSystemPackagesAsync([ExecutablePath, CjkFont], "chromium", "fonts-noto-cjk");
}
