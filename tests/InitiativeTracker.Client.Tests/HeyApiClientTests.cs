using InitiativeTracker.Client.Tests.Infrastructure;

namespace InitiativeTracker.Client.Tests;

/// <summary>
/// A second TypeScript generator no one here wrote: the fetch client @hey-api/openapi-ts generates from
/// openapi.yaml (pinned, with TypeScript, in tests/clients/hey-api/package-lock.json), with its default
/// plugins, must type-check tests/clients/hey-api/workflow.ts under tsc --strict and then run it with Node
/// against the service as a real process: a lead's week, a 412 and a 400 read as typed problems, each
/// report, and one as CSV. The generated code is regenerated here into tests/clients/hey-api/generated
/// (ignored by git, like bin/ and obj/), so a document change that breaks the generator fails this test.
/// </summary>
public sealed class HeyApiClientTests(HeyApiProject project, RunningService service)
    : IClassFixture<HeyApiProject>, IClassFixture<RunningService>
{
    [Fact]
    public async Task GeneratedFetchClientRunsALeadsWorkflowAgainstTheService()
    {
        await project.EnsureInstalledAsync();

        var generate = await project.RunAsync("npx", "--no-install", "openapi-ts", "-i", "../../../openapi.yaml", "-o", "generated");
        generate.ExitCode.Should().Be(0, $"@hey-api/openapi-ts must read openapi.yaml:\n{generate}");
        generate.Output.Should().NotContainAny(["warn", "error"], "generation must be clean:\n{0}", generate.Output);

        var compile = await project.RunAsync("npx", "--no-install", "tsc", "-p", ".");
        compile.ExitCode.Should().Be(0,
            $"workflow.ts must type-check against the generated client (tsconfig.json: strict) and compile:\n{compile}");

        var run = await project.RunAsync("node", "out/workflow.js", service.BaseUrl, service.AdminKey);
        run.ExitCode.Should().Be(0, $"the workflow must pass against the service:\n{run}\nThe service printed:\n{service.Output}");
        run.Output.Should().Contain("workflow: every step passed");
    }
}

/// <summary>tests/clients/hey-api: @hey-api/openapi-ts, TypeScript and Node's types.</summary>
public sealed class HeyApiProject() : NpmProject("hey-api");
