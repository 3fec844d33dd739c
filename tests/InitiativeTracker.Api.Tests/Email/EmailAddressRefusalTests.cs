using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// An address mail cannot be sent to, or a subscription to a direction or task force that does not exist,
/// is refused naming the field, and nothing is saved. Compared on a host without the background loops:
/// with them (<see cref="EmailSettingsTests.QuietFactory"/>) the email scheduler's and the webhook scan's
/// runs could land between the two snapshots.
/// </summary>
[Trait("Category", "Email")]
public sealed class EmailAddressRefusalTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    public static TheoryData<string> BadAddresses() =>
    [
        "Li Na <li.na@example.edu>", "li na@example.edu", "li.na@@example.edu", "li.na@", "@example.edu", "li.na@example.edu.",
        "li.na@exa mple.edu", "<li.na@example.edu>", "li.na@example.edu, wang@example.edu",
    ];

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public async Task AnAddressMailCannotBeSentToIsRefusedForOwnersAndSubscriptionsAndNothingIsSaved(string address)
    {
        var before = await factory.SnapshotAsync();

        await (await _client.PostAsJsonAsync("/api/v1/owners", new { name = "Bad address", email = address })).ShouldBeProblem(HttpStatusCode.BadRequest, "email");
        await (await _client.PostAsJsonAsync("/api/v1/email-subscriptions", new { email = address })).ShouldBeProblem(HttpStatusCode.BadRequest, "email");

        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ASubscriptionToAMissingDirectionOrTaskForceIsRefusedNamingTheField()
    {
        var before = await factory.SnapshotAsync();

        await (await _client.PostAsJsonAsync("/api/v1/email-subscriptions", new { email = "office@example.edu", directionId = 999, taskForceId = 999 }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "directionId", "taskForceId");
        await (await _client.PostAsJsonAsync("/api/v1/email-subscriptions", new { name = "No address" })).ShouldBeProblem(HttpStatusCode.BadRequest, "email");

        (await factory.SnapshotAsync()).Should().Be(before);
    }
}
