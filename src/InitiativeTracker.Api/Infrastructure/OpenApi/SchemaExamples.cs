using System.Text.Json.Nodes;
using InitiativeTracker.Api.Features.Directions;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Meetings;
using InitiativeTracker.Api.Features.Owners;
using InitiativeTracker.Api.Features.TaskForces;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Examples for the schemas of the main resources and requests, written as the C# values they
/// document so they keep up with renames; the linters check each against its schema. A page of a
/// list (<see cref="Paged{T}"/>) is shown with its item's example.
/// </summary>
internal static class SchemaExamples
{
    private static readonly DateTime s_created = new(2026, 3, 10, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_updated = new(2026, 4, 2, 8, 30, 0, DateTimeKind.Utc);

    private static readonly InitiativeResponse s_initiative = new()
    {
        Id = 42,
        DirectionId = 2,
        OwnerId = 7,
        TaskForceId = 3,
        Title = "Joint technology transfer center in Almaty",
        Description = "With two partner universities",
        StartDate = new DateOnly(2026, 1, 15),
        Deadline = new DateOnly(2026, 12, 31),
        OriginalDeadline = new DateOnly(2026, 10, 31),
        Status = InitiativeStatus.InProgress,
        Progress = 40,
        Health = Health.AtRisk,
        CompletedOn = null,
        IsOverdue = false,
        DaysOverdue = 0,
        DaysUntilDeadline = 273,
        LastCheckInAt = s_updated,
        DeadlineChanges = 1,
        Version = 3,
        CreatedAt = s_created,
        UpdatedAt = s_updated,
    };

    private static readonly Dictionary<Type, JsonNode> s_examples = new()
    {
        [typeof(MeetingResponse)] = ExampleJson.Of(new MeetingResponse
        {
            Id = 1,
            Title = "Special meeting on implementing the outcomes of the China–Central Asia Summit",
            HeldOn = new DateOnly(2023, 6, 5),
            Location = "Xi'an Jiaotong University",
            Summary = "Set three strategic directions and asked for dedicated task forces.",
            Version = 1,
            CreatedAt = s_created,
            UpdatedAt = s_created,
        }),
        [typeof(CreateMeetingCommand)] = ExampleJson.Of(new CreateMeetingCommand
        {
            Title = "Follow-up meeting on the UASR innovation engine",
            HeldOn = new DateOnly(2026, 9, 12),
            Location = "Xi'an Jiaotong University, Innovation Harbour",
        }, omitNulls: true),
        [typeof(UpdateMeetingCommand)] = ExampleJson.Of(new UpdateMeetingCommand
        {
            Title = "Follow-up meeting on the UASR innovation engine",
            HeldOn = new DateOnly(2026, 9, 19),
            Location = "Xi'an Jiaotong University, Innovation Harbour",
            Summary = "Reviewed the first year of the task forces.",
        }, omitNulls: true),
        [typeof(DirectionResponse)] = ExampleJson.Of(new DirectionResponse
        {
            Id = 2,
            MeetingId = 1,
            Number = 2,
            Title = "Look beyond the UASR and strengthen degree and non-degree programs",
            Description = "Bring in high-quality overseas resources from industry and enterprises.",
            Version = 1,
            CreatedAt = s_created,
            UpdatedAt = s_created,
        }),
        [typeof(CreateDirectionCommand)] = ExampleJson.Of(new CreateDirectionCommand
        {
            MeetingId = 1,
            Number = 4,
            Title = "Cultural exchange cooperation along the Silk Road",
        }, omitNulls: true),
        [typeof(UpdateDirectionCommand)] = ExampleJson.Of(new UpdateDirectionCommand
        {
            MeetingId = 1,
            Number = 4,
            Title = "Cultural exchange cooperation along the Silk Road",
            Description = "Exchanges of students, scholars and artists.",
        }, omitNulls: true),
        [typeof(OwnerResponse)] = ExampleJson.Of(new OwnerResponse
        {
            Id = 7,
            Name = "Li Na",
            Email = "li.na@example.edu",
            Unit = "School of Mechanical Engineering",
            Version = 1,
            CreatedAt = s_created,
            UpdatedAt = s_created,
        }),
        [typeof(CreateOwnerCommand)] = ExampleJson.Of(new CreateOwnerCommand
        {
            Name = "Li Na",
            Email = "li.na@example.edu",
            Unit = "School of Mechanical Engineering",
        }, omitNulls: true),
        [typeof(UpdateOwnerCommand)] = ExampleJson.Of(new UpdateOwnerCommand
        {
            Name = "Li Na",
            Email = "li.na@example.edu",
            Unit = "Office of International Cooperation",
        }, omitNulls: true),
        [typeof(TaskForceResponse)] = ExampleJson.Of(new TaskForceResponse
        {
            Id = 3,
            Name = "Technology Transfer Task Force",
            Mandate = "Commercialize results along the Silk Road",
            LeadId = 7,
            Version = 1,
            CreatedAt = s_created,
            UpdatedAt = s_created,
        }),
        [typeof(CreateTaskForceCommand)] = ExampleJson.Of(new CreateTaskForceCommand
        {
            Name = "Technology Transfer Task Force",
            Mandate = "Commercialize results along the Silk Road",
            LeadId = 7,
        }, omitNulls: true),
        [typeof(UpdateTaskForceCommand)] = ExampleJson.Of(new UpdateTaskForceCommand
        {
            Name = "Technology Transfer Task Force",
            Mandate = "Commercialize results along the Silk Road and in Central Asia",
            LeadId = 7,
        }, omitNulls: true),
        [typeof(InitiativeResponse)] = ExampleJson.Of(s_initiative),
        [typeof(CreateInitiativeCommand)] = ExampleJson.Of(new CreateInitiativeCommand
        {
            DirectionId = 2,
            OwnerId = 7,
            TaskForceId = 3,
            Title = "Joint technology transfer center in Almaty",
            Description = "With two partner universities",
            StartDate = new DateOnly(2026, 1, 15),
            Deadline = new DateOnly(2026, 12, 31),
        }, omitNulls: true),
        [typeof(UpdateInitiativeCommand)] = ExampleJson.Of(new UpdateInitiativeCommand
        {
            DirectionId = 2,
            OwnerId = 7,
            TaskForceId = 3,
            Title = "Joint technology transfer center in Almaty",
            Description = "With three partner universities",
            StartDate = new DateOnly(2026, 1, 15),
        }, omitNulls: true),
        [typeof(ImportInitiativesResponse)] = ExampleJson.Of(new ImportInitiativesResponse(3, [42, 43, 44])),
    };

    public static JsonNode? For(Type type)
    {
        if (s_examples.TryGetValue(type, out var example))
        {
            return example.DeepClone();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Paged<>) && For(type.GetGenericArguments()[0]) is { } item)
        {
            return new JsonObject { ["items"] = new JsonArray(item), ["page"] = 1, ["pageSize"] = ListQuery.DefaultPageSize, ["totalCount"] = 1 };
        }

        return null;
    }
}
