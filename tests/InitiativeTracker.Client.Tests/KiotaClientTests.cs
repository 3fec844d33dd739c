using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;
using InitiativeTracker.Client.Tests.Infrastructure;

namespace InitiativeTracker.Client.Tests;

/// <summary>
/// src/InitiativeTracker.Client/Generated is exactly what the pinned Kiota (.config/dotnet-tools.json)
/// generates from openapi.yaml: a build product, like openapi.yaml itself, never edited by hand.
/// Regenerate it with tests/clients/generate-csharp.sh, or:
/// UPDATE_CLIENT=1 dotnet test tests/InitiativeTracker.Client.Tests --filter KiotaClientTests
/// </summary>
public sealed class KiotaClientTests
{
    private const string HowToRegenerate =
        "regenerate it with 'tests/clients/generate-csharp.sh' (or 'UPDATE_CLIENT=1 dotnet test tests/InitiativeTracker.Client.Tests --filter KiotaClientTests'), read the diff and commit it; never edit generated code by hand";

    private static readonly TimeSpan GenerationTimeout = TimeSpan.FromMinutes(5);

    private static string Script => Repository.PathOf("tests", "clients", "generate-csharp.sh");

    private static string Committed => Repository.PathOf("src", "InitiativeTracker.Client", "Generated");

    [Fact]
    public async Task CommittedClientIsWhatThePinnedKiotaGeneratesFromOpenApiYaml()
    {
        if (Environment.GetEnvironmentVariable("UPDATE_CLIENT") == "1")
        {
            var update = await Command.RunAsync("bash", [Script], Repository.Root, GenerationTimeout);
            update.ExitCode.Should().Be(0, update.ToString());
        }

        var fresh = Directory.CreateTempSubdirectory("tracker-kiota-");
        try
        {
            var generate = await Command.RunAsync("bash", [Script, fresh.FullName], Repository.Root, GenerationTimeout);
            generate.ExitCode.Should().Be(0, generate.ToString());

            var differences = Compare(Files(fresh.FullName), Files(Committed));
            if (differences.Count > 0)
            {
                Assert.Fail($"src/InitiativeTracker.Client/Generated is not what Kiota generates from openapi.yaml; {HowToRegenerate}.\n"
                    + string.Join('\n', differences.Select(difference => $"  {difference}")));
            }
        }
        finally
        {
            fresh.Delete(recursive: true);
        }
    }

    /// <summary>Every file under <paramref name="folder"/> by its relative path, as comparable text.</summary>
    private static Dictionary<string, string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
                file => Path.GetRelativePath(folder, file).Replace('\\', '/'),
                file => Comparable(Path.GetFileName(file), File.ReadAllText(file)),
                StringComparer.Ordinal)
            : [];

    /// <summary>
    /// The text to compare: line ends normalised, and kiota-lock.json without descriptionLocation, the
    /// path from the output folder to openapi.yaml, which differs only because the check generates
    /// elsewhere. Everything else Kiota writes was the same across runs and folders, the description's
    /// hash included, so a changed openapi.yaml shows there as well as in the code.
    /// </summary>
    private static string Comparable(string fileName, string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (fileName != "kiota-lock.json")
        {
            return text;
        }

        var lockFile = JsonNode.Parse(text)!.AsObject();
        lockFile.Remove("descriptionLocation");
        return lockFile.ToJsonString(new() { WriteIndented = true });
    }

    private static List<string> Compare(Dictionary<string, string> expected, Dictionary<string, string> committed)
    {
        var differences = new List<string>();
        differences.AddRange(expected.Keys.Except(committed.Keys).Order(StringComparer.Ordinal).Select(path => $"missing: {path}"));
        differences.AddRange(committed.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).Select(path => $"not generated any more: {path}"));
        foreach (var path in expected.Keys.Intersect(committed.Keys).Order(StringComparer.Ordinal))
        {
            if (expected[path] != committed[path])
            {
                differences.Add($"differs: {path}{FirstDifference(expected[path], committed[path])}");
            }
        }

        return differences;
    }

    private static string FirstDifference(string expected, string committed)
    {
        var expectedLines = expected.Split('\n');
        var committedLines = committed.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, committedLines.Length); i++)
        {
            var want = i < expectedLines.Length ? expectedLines[i] : "(end of file)";
            var have = i < committedLines.Length ? committedLines[i] : "(end of file)";
            if (want != have)
            {
                return new StringBuilder()
                    .Append($" (line {i + 1})")
                    .Append($"\n      generated: {want.Trim()}")
                    .Append($"\n      committed: {have.Trim()}")
                    .ToString();
            }
        }

        return "";
    }
}
