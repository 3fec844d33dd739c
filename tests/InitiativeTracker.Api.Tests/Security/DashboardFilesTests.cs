using System.Net;
using System.Text.RegularExpressions;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// The dashboard's files (docs/dashboard.md) are served without a key, under a policy that lets them load
/// only this origin's scripts, stylesheet and API, and they need nothing more: no inline script or style.
/// What the page does with them is tested in a browser (tests/InitiativeTracker.Dashboard.Tests).
/// </summary>
public sealed partial class DashboardFilesTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private static readonly string s_webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    [Fact]
    public async Task TheRootServesTheDashboardPageWithoutAKeyUnderItsOwnPolicy()
    {
        var response = await factory.CreateClient().GetAsync("/");
        var html = await response.ShouldBeText(HttpStatusCode.OK);

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Be(SecurityHeaders.DashboardPolicy).And.Contain("default-src 'none'").And.Contain("script-src 'self'")
            .And.Contain("style-src 'self'").And.Contain("connect-src 'self'").And.NotContain("unsafe").And.NotContain("*");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        html.Should().Contain("<script type=\"module\" src=\"/dashboard/js/main.js\"></script>");
    }

    [Fact]
    public async Task EveryFileThePageLoadsIsServedWithoutAKey()
    {
        var client = factory.CreateClient();
        var files = Directory.EnumerateFiles(Path.Combine(s_webRoot, "dashboard"), "*", SearchOption.AllDirectories).ToList();
        files.Should().Contain(f => f.EndsWith("main.js", StringComparison.Ordinal));

        foreach (var file in files)
        {
            var url = "/" + Path.GetRelativePath(s_webRoot, file).Replace('\\', '/');
            var response = await client.GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.OK, url);
            response.Headers.CacheControl!.NoCache.Should().BeTrue(url);
        }
    }

    [Fact]
    public void NoFileOfTheDashboardCarriesInlineScriptOrStyle()
    {
        foreach (var file in Directory.EnumerateFiles(s_webRoot, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            InlineStyle().IsMatch(text).Should().BeFalse($"{file} would be blocked by style-src 'self'");
            text.Should().NotContain(".innerHTML", $"{file} builds its DOM with elements and text, so API data is never markup");
            if (file.EndsWith(".html", StringComparison.Ordinal))
            {
                InlineScript().IsMatch(text).Should().BeFalse($"{file} would be blocked by script-src 'self'");
                text.Should().NotMatchRegex(@"\son[a-z]+=", $"{file}: event handler attributes are inline script");
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/meetings")]
    [InlineData("/api/v1/no-such-route")]
    [InlineData("/health/live")]
    public async Task TheApiKeepsItsStricterPolicyAndNeverServesFiles(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        response.Headers.GetValues("Content-Security-Policy").Should().Equal(SecurityHeaders.ApiPolicy);
        response.Content.Headers.ContentType?.MediaType.Should().NotBe("text/html");
    }

    [Fact]
    public async Task AFileOutsideTheDashboardIsNotServed()
    {
        File.Exists(Path.Combine(s_webRoot, "index.html")).Should().BeTrue();

        var response = await factory.CreateClient().GetAsync("/api/index.html");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [GeneratedRegex("""style\s*=\s*["']|<style""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [GeneratedRegex("""<script(?![^>]*\ssrc=)[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
