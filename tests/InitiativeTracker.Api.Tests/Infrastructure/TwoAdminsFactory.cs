using System.Security.Claims;
using System.Text.Encodings.Web;
using InitiativeTracker.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// The service with a second admin key, named <c>second</c>, beside the bootstrap one: for behaviour
/// scoped per API key. It stands in for stored keys, which this branch does not have.
/// </summary>
public sealed class TwoAdminsFactory : TrackerFactory
{
    public const string SecondKey = "second-admin-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Configure<AuthenticationOptions>(options =>
            options.Schemes.Single(s => s.Name == ApiKeyAuthentication.SchemeName).HandlerType = typeof(TwoAdminKeys)));
    }

    private sealed class TwoAdminKeys(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var name = Request.Headers.Authorization.ToString() switch
            {
                "Bearer " + AdminKey => "bootstrap",
                "Bearer " + SecondKey => "second",
                _ => null,
            };
            if (name is null)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new(ClaimTypes.Name, name), new(ClaimTypes.Role, Roles.Admin)], Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
    }
}
