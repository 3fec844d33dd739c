using System.Globalization;
using System.Text.Json;
using FluentValidation;
using InitiativeTracker.Api.Features.ApiKeys;
using InitiativeTracker.Api.Features.Audit;
using InitiativeTracker.Api.Features.CheckIns;
using InitiativeTracker.Api.Features.Deadlines;
using InitiativeTracker.Api.Features.Demo;
using InitiativeTracker.Api.Features.Directions;
using InitiativeTracker.Api.Features.Email;
using InitiativeTracker.Api.Features.HealthChecks;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Meetings;
using InitiativeTracker.Api.Features.Metrics;
using InitiativeTracker.Api.Features.Owners;
using InitiativeTracker.Api.Features.Reports;
using InitiativeTracker.Api.Features.TaskForces;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using InitiativeTracker.Api.Infrastructure.Mediator;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

// ICU is loaded for Unicode normalization only (Directory.Build.props): whatever the machine's locale,
// text is formatted and compared as in the invariant culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// `create-key …` and `backup …` do their work and exit instead of serving (CommandLineVerbs).
var verb = CommandLineVerbs.FromArgs(args);
// The slim builder leaves out what this service never uses (IIS, HTTP/3, hosting-startup assemblies,
// regex route constraints, the debug and event-source loggers). Added back: HTTPS endpoints from
// configuration, and every console formatter (Logging:Console:FormatterName=json).
// The content root is the service's own directory unless one is given (ContentRoot), so it reads its
// appsettings.json wherever it is started from.
var hostArgs = verb?.HostArgs ?? args;
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = ContentRoot.For(hostArgs) });
builder.WebHost.UseKestrelHttpsConfiguration();
builder.Logging.AddConsole();
RequestLogging.SilenceFrameworkRequestLines(builder.Logging);
builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
if (verb is not null)
{
    CommandLineVerbs.ConfigureLogging(builder.Logging);
}

builder.Services.AddOptions<TrackerOptions>()
    .Bind(builder.Configuration.GetSection(TrackerOptions.Section))
    .ValidateDataAnnotations()
    .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Tracker:TimeZone is not a known IANA time zone.")
    .Validate(o => string.IsNullOrEmpty(o.BootstrapAdminKey) || o.BootstrapAdminKey.Length >= TrackerOptions.MinBootstrapKeyLength
        || builder.Environment.IsDevelopment(),
        $"Tracker:BootstrapAdminKey must be at least {TrackerOptions.MinBootstrapKeyLength} characters long outside Development.")
    .ValidateOnStart();

DapperTypeHandlers.Register();
builder.Services.AddSingleton<StorageFaults>();
builder.Services.AddSingleton<WriteGateMetrics>();
builder.Services.AddSingleton(sp => new Db(
    builder.Configuration.GetConnectionString("Tracker") ?? "Data Source=data/tracker.db", builder.Environment.ContentRootPath,
    sp.GetRequiredService<StorageFaults>(), sp.GetRequiredService<WriteGateMetrics>()));
builder.Services.AddScoped<UnitOfWork>();
builder.Services.AddSingleton<DatabaseLock>();
builder.Services.AddSingleton<DatabaseMigrator>();
builder.Services.AddHostedService<DatabaseStartup>();
builder.Services.AddHostedService<DemoData>();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TrackerClock>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<CurrentActor>();
builder.Services.AddScoped<InitiativeScope>();
builder.Services.AddScoped<InitiativeEditor>();
builder.Services.AddScoped<AuditTrail>();
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddEmail(builder.Configuration);

builder.Services.AddMediator();
// Messages name a field as clients send it ('pageSize'), as the errors keys do, not split as
// FluentValidation's default does ("'Page Size' must be …").
ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
// Validators hold only their rules (built once, in the constructor) and singletons: build them once.
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);
builder.Services.ConfigureHttpJsonOptions(o => TrackerJson.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemShape.Complete);
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

builder.Services.AddSingleton<ApiKeyResolver>();
// The authentication core and the one API-key scheme: AddAuthentication would also add data
// protection, which loads (or creates) a key ring at start-up that nothing here uses.
builder.Services.AddAuthenticationCore(o => o.DefaultScheme = ApiKeyAuthentication.SchemeName);
builder.Services.AddWebEncoders();
new AuthenticationBuilder(builder.Services)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
builder.Services.AddTrackerPolicies();
builder.Services.AddTrackerRateLimiting(builder.Configuration);
builder.Services.AddTrackerCors(builder.Configuration);
builder.Services.AddTrackerForwardedHeaders(builder.Configuration);
builder.Services.AddRequestLimits();
builder.Services.AddIdempotency(builder.Configuration);

builder.Services.AddTrackerOpenApi();
builder.Services.AddTrackerMetrics(builder.Configuration);

var app = builder.Build();
// Before anything runs: a bad setting is one line on stderr and exit code 1, not a host failure logged
// with a stack trace and an aborted process.
if (!StartupSettings.Check(app.Services, Console.Error))
{
    return StartupSettings.ExitCode;
}

if (verb is not null)
{
    return await verb.RunAsync(app.Services, Console.Out, Console.Error, CancellationToken.None);
}

// Serving only (the verbs above run beside a serving process): a data directory the service can write to, and
// one process per database file. The lock is held until the host, and with it the lock, is disposed.
if (!DataDirectory.Check(app.Services.GetRequiredService<Db>(), Console.Error)
    || !app.Services.GetRequiredService<DatabaseLock>().TryAcquire(Console.Error))
{
    return StartupSettings.ExitCode;
}

app.UseTrackerForwardedHeaders();
app.UseMiddleware<RequestLogging>();
// Outermost but for the request log, so every answer (errors included) carries the security headers.
app.UseSecurityHeaders();
// With CORS configured, every answer, errors and preflights included, says it varies by Origin.
app.UseVaryByOrigin();
// Outside the error handlers, so a HEAD that fails drops the problem's body too.
app.UseMiddleware<HeadRequestMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages();
// Before routing, with the one (default) policy, so every answer a browser gets, the method's 405 and the
// refusals below included, carries the CORS headers its origin is due and a preflight is answered first.
app.UseCors();
// Before routing and authentication, so a key in the URL is refused on every path, public ones included.
app.UseQueryCredentialRefusal();
// Routing after the HEAD middleware, so a HEAD is routed as the GET it is answered as.
app.UseRouting();
// After routing (which picks its 405 endpoint) and before authorization, so every caller gets the 405.
app.UseMiddleware<MethodNotAllowedMiddleware>();
app.UseHttpsWhenConfigured();
app.UseMiddleware<RequestLimitsMiddleware>();
// The dashboard's page and modules (wwwroot) are static files, not endpoints: public, before authorization
// and the rate limiter, like Swagger UI below; the data the page reads needs a key.
app.UseDashboard();
// Swagger UI is static files, not an endpoint: serve it before authorization's fallback policy (and the rate limiter).
// Only under /swagger: its middleware matches every path against regular expressions.
app.UseWhen(c => c.Request.Path.StartsWithSegments("/swagger"), swagger => swagger.UseSwaggerUI(o =>
{
    o.SwaggerEndpoint("/openapi/v1.json", "InitiativeTracker v1");
    o.RoutePrefix = "swagger";
}));
app.UseAuthentication();
// After authentication, so requests are counted per key.
app.UseRateLimiter();
app.UseAuthorization();
app.UseIdempotency();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().DisableRateLimiting();
app.MapOpenApi("/openapi/{documentName}.yaml").AllowAnonymous().DisableRateLimiting();

app.MapHealthEndpoints();
app.MapMetricsEndpoint();
var api = app.MapApi();
api.MapMeetingEndpoints();
api.MapDirectionEndpoints();
api.MapOwnerEndpoints();
api.MapTaskForceEndpoints();
api.MapInitiativeEndpoints();
api.MapCheckInEndpoints();
api.MapDeadlineEndpoints();
api.MapAuditEndpoints();
api.MapReportEndpoints();
api.MapApiKeyEndpoints();
api.MapWebhookEndpoints();
api.MapEmailEndpoints();

app.Run();
return 0;

/// <summary>The entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can host it in tests.</summary>
public partial class Program;
