using InitiativeTracker.Client.Models;
using InitiativeTracker.Client.Tests.Infrastructure;
using static InitiativeTracker.Client.Tests.Infrastructure.Steps;

namespace InitiativeTracker.Client.Tests;

/// <summary>
/// Two promises of the lead workflow on their own, so each shows separately when it breaks: what the
/// generated client sends must be accepted as it is, and what it throws must say what went wrong.
/// </summary>
public sealed class ClientContractTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task AKeyExpiryAsKiotaWritesItIsAccepted()
    {
        var admin = factory.Admin();
        var owner = await Step("create the owner", () => admin.Api.V1.Owners.PostAsync(new CreateOwnerCommand { Name = "Aigerim Bekova" }));
        var expiresAt = TrackerFactory.Start.AddDays(3);

        // Kiota writes a DateTimeOffset in the round-trip form, with its offset: 2026-03-13T02:00:00.0000000+00:00.
        var key = await Step("create the expiring key", () => admin.Api.V1.ApiKeys.PostAsync(
            new CreateApiKeyCommand { Name = "aigerim-scripts", Role = ApiKeyRole.Lead, OwnerId = owner.Id, ExpiresAt = expiresAt }));

        key.ExpiresAt.Should().Be(expiresAt);
        var read = await Step("read the key", () => admin.Api.V1.ApiKeys[key.Id!.Value].GetAsync());
        read.ExpiresAt.Should().Be(expiresAt);
    }

    [Fact]
    public async Task TheExceptionOfAProblemCarriesItsDetailAsMessage()
    {
        var admin = factory.Admin();

        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => admin.Api.V1.Initiatives.PostAsync(
            new CreateInitiativeCommand { DirectionId = 999_999, OwnerId = 999_999, Title = "An initiative of nobody's", Deadline = new(2026, 12, 31) }));

        problem.ResponseStatusCode.Should().Be(400);
        problem.Errors!.AdditionalData.Should().ContainKeys("directionId", "ownerId");
        problem.Detail.Should().NotBeNullOrWhiteSpace();
        problem.Message.Should().Be(problem.Detail,
            "a caller that prints the exception must print what the problem says (x-ms-primary-error-message on detail)");
    }
}
