using System.Net;
using System.Net.Http.Json;

namespace InitiativeTracker.Api.Tests.Infrastructure;

public static class ApiKeyClients
{
    private static int s_sequence;

    /// <summary>Creates a stored key through the API (with an admin client) and returns its id and secret.</summary>
    public static async Task<(long Id, string Key)> CreateKeyAsync(this HttpClient admin, string role, long? ownerId = null, string? name = null)
    {
        name ??= $"{role}-{Interlocked.Increment(ref s_sequence)}-{Guid.NewGuid():N}";
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name, role, ownerId });
        var body = await response.ShouldBe(HttpStatusCode.Created);
        return (body["id"]!.GetValue<long>(), body["key"]!.GetValue<string>());
    }

    /// <summary>A client for a freshly created key of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> ClientForAsync(this TrackerFactory factory, string role, long? ownerId = null) =>
        factory.WithKey((await factory.Admin().CreateKeyAsync(role, ownerId)).Key);
}
