using InitiativeTracker.Api.Tests.Infrastructure;
using InitiativeTracker.Client.Tests.Infrastructure;

namespace InitiativeTracker.Client.Tests;

/// <summary>
/// A C# generator no one here wrote: NSwag (the pinned dotnet tool, .config/dotnet-tools.json) generates a
/// client from openapi.yaml into tests/clients/nswag/generated (ignored by git); tests/clients/nswag builds
/// it with the repository's settings (warnings are errors) together with Workflow.cs, a lead's week through
/// it, and the test runs that program against the service as a real process: a filtered page, check-ins, a
/// moved deadline, PUT and PATCH with If-Match, a stale one as a typed 412, an expiring key, each report
/// (equal to the JSON a plain HttpClient reads), and a 400 whose field errors the client reads.
/// NSwag's defaults, but one option a user sets: <c>/GenerateOptionalPropertiesAsNullable:true</c>. Without
/// it an optional integer is a plain <c>long</c>, so a merge patch that names only the title also sends
/// <c>"directionId": 0</c> and is refused (RicoSuter/NSwag#2313, RicoSuter/NJsonSchema#838).
/// </summary>
public sealed class NSwagClientTests(RunningService service) : IClassFixture<RunningService>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static string Project => Repository.PathOf("tests", "clients", "nswag");

    private static string Generated => Path.Combine(Project, "generated", "TrackerClient.cs");

    [Fact]
    public async Task GeneratedClientRunsALeadsWorkflowAgainstTheService()
    {
        var restore = await Command.RunAsync("dotnet", ["tool", "restore"], Repository.Root, Timeout);
        restore.ExitCode.Should().Be(0, $"the pinned NSwag must install:\n{restore}");

        // No file from an earlier run: NSwag leaves an unchanged file as it is, and a stale one must not be built.
        Directory.CreateDirectory(Path.GetDirectoryName(Generated)!);
        File.Delete(Generated);
        var generate = await Command.RunAsync("dotnet",
            [
                "nswag", "openapi2csclient", "/input:openapi.yaml", $"/output:{Generated}",
                "/namespace:InitiativeTracker.NSwagClient", "/GenerateOptionalPropertiesAsNullable:true",
            ],
            Repository.Root, Timeout);
        generate.ExitCode.Should().Be(0, $"NSwag must read openapi.yaml:\n{generate}");
        File.Exists(Generated).Should().BeTrue($"NSwag must write the client:\n{generate}");

        var build = await Command.RunAsync("dotnet", ["build", Project, "-nologo", "-consoleLoggerParameters:NoSummary"], Repository.Root, Timeout);
        build.ExitCode.Should().Be(0, $"the generated client and Workflow.cs must compile:\n{build}");
        build.Output.Should().NotContain("warning", "the generated client must build clean under the repository's settings:\n{0}", build.Output);

        var run = await Command.RunAsync("dotnet",
            ["run", "--no-build", "--project", Project, "--", service.BaseUrl, service.AdminKey], Repository.Root, Timeout);
        run.ExitCode.Should().Be(0, $"the workflow must pass against the service:\n{run}\nThe service printed:\n{service.Output}");
        run.Output.Should().Contain("workflow: every step passed");
    }
}
