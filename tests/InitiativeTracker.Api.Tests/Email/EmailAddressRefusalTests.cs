using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// An address mail cannot be sent to is refused wherever one is saved, and nothing is saved. On a host
/// without the background loops: the email scheduler records its runs on its own schedule, and would
/// change the database between the two snapshots.
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
}
