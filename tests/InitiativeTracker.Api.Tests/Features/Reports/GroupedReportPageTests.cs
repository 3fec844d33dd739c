using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Reports;

/// <summary>
/// Today's grouped overdue and upcoming pages walk the groups through their (group, deadline) indexes
/// instead of sorting every row (migration 0012). Whatever the plan, a grouped report is the ungrouped one
/// in the documented group order: directions by meeting and number, owners by name ignoring case, task
/// forces by name ignoring case with the initiatives without one last, each group by deadline, then id;
/// ties between equal names go to the lower id. Checked page by page (a page size of 7 puts page edges
/// inside groups and across the last task force into the rows without one), with every filter.
/// </summary>
public sealed class GroupedReportPageTests(TrackerFactory factory) : IClassFixture<TrackerFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.Admin();
    private readonly List<long> _owners = [];
    private readonly List<long> _taskForces = [];
    private readonly List<long> _directions = [];
    private readonly Dictionary<long, int> _directionNumbers = [];

    public async Task InitializeAsync()
    {
        if (await InitializedAsync())
        {
            return;
        }

        // Names that sort differently by case, and two owners with the same name in other cases.
        foreach (var name in new[] { "bai Lan", "Ahmed", "chen Wei", "AHMED", "Bai lan" })
        {
            _owners.Add(await _client.IdOfAsync("/api/v1/owners", new { name }));
        }

        foreach (var name in new[] { "joint degrees", "Alliance Office", "Innovation centers" })
        {
            _taskForces.Add(await _client.IdOfAsync("/api/v1/task-forces", new { name, leadId = _owners[0] }));
        }

        // Directions whose numbers do not follow their ids, beside the seeded three.
        _directions.AddRange([1, 2, 3]);
        _directions.Add(await _client.IdOfAsync("/api/v1/directions", new { meetingId = 1, number = 60, title = "Sixtieth" }));
        _directions.Add(await _client.IdOfAsync("/api/v1/directions", new { meetingId = 1, number = 45, title = "Forty-fifth" }));
        _directionNumbers[_directions[^2]] = 60;
        _directionNumbers[_directions[^1]] = 45;

        var random = new Random(20261205);
        var today = new DateOnly(2026, 3, 10);
        for (var n = 0; n < 90; n++)
        {
            long? taskForce = random.Next(4) == 0 ? null : _taskForces[random.Next(_taskForces.Count)];
            var id = await _client.IdOfAsync("/api/v1/initiatives", new
            {
                directionId = _directions[random.Next(_directions.Count)],
                ownerId = _owners[random.Next(_owners.Count)],
                taskForceId = taskForce,
                title = $"Grouped {n}",
                // Few distinct deadlines, so rows of a group tie on deadline and fall back to id.
                deadline = today.AddDays(random.Next(-12, 12) * 3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            });
            var statuses = random.Next(5) switch
            {
                0 => new[] { "in_progress", "done" },
                1 => ["cancelled"],
                2 => ["in_progress", "blocked"],
                _ => [],
            };
            foreach (var status in statuses)
            {
                (await _client.PostAsJsonAsync($"/api/v1/initiatives/{id}/check-ins", new { progress = status == "done" ? 100 : 40, status, health = "on_track", note = "Moved" }))
                    .StatusCode.Should().Be(HttpStatusCode.Created);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("overdue?")]
    [InlineData("upcoming?withinDays=30&")]
    public async Task GroupedPagesAreTheUngroupedRowsInGroupOrder(string report)
    {
        var filters = new List<string> { "" };
        filters.AddRange(_directions.Select(d => $"directionId={d}&"));
        filters.AddRange(_owners.Select(o => $"ownerId={o}&"));
        filters.AddRange(_taskForces.Select(t => $"taskForceId={t}&"));
        filters.Add($"directionId={_directions[^1]}&ownerId={_owners[1]}&");
        foreach (var filter in filters)
        {
            var all = (await GetAsync($"/api/v1/reports/{report}{filter}pageSize=200"))["items"]!.AsArray().Select(r => r!).ToList();
            foreach (var groupBy in new[] { "direction", "owner", "taskForce" })
            {
                var because = $"{report}{filter}groupBy={groupBy}";
                var expected = Sorted(all, groupBy).Select(Id).ToList();
                var pages = new List<long>();
                JsonNode first = null!;
                for (var page = 1; page == 1 || pages.Count < expected.Count; page++)
                {
                    var json = await GetAsync($"/api/v1/reports/{report}{filter}groupBy={groupBy}&pageSize=7&page={page}");
                    first ??= json;
                    var items = json["items"]!.AsArray();
                    if (items.Count == 0)
                    {
                        break;
                    }

                    pages.AddRange(items.Select(i => Id(i!)));
                }

                pages.Should().Equal(expected, because);
                first["totalCount"]!.GetValue<long>().Should().Be(all.Count, because);
                var groups = first["groups"]!.AsArray()
                    .Select(g => (Id: g!["groupId"]?.GetValue<long>(), Name: g["groupName"]!.GetValue<string>(), Count: g["count"]!.GetValue<long>()))
                    .ToList();
                groups.Should().Equal(ExpectedGroups(Sorted(all, groupBy), groupBy), because);
            }
        }
    }

    [Fact]
    public async Task AGroupedCsvHasTheRowsOfTheGroupedPages()
    {
        var pages = (await GetAsync("/api/v1/reports/overdue?groupBy=taskForce&pageSize=200"))["items"]!.AsArray().Select(i => Id(i!)).ToList();
        var csv = CsvText.Parse(await _client.GetStringAsync("/api/v1/reports/overdue?groupBy=taskForce&format=csv"));
        var column = Array.IndexOf(csv[0], csv[0].Single(h => h.EndsWith("initiativeId", StringComparison.OrdinalIgnoreCase)));

        pages.Should().NotBeEmpty();
        csv.Skip(1).Select(r => long.Parse(r[column], System.Globalization.CultureInfo.InvariantCulture)).Should().Equal(pages);
    }

    /// <summary>The documented order: the group's key, then deadline, then id.</summary>
    private IEnumerable<JsonNode> Sorted(List<JsonNode> rows, string groupBy)
    {
        var byDeadline = rows.OrderBy(r => r["deadline"]!.GetValue<string>(), StringComparer.Ordinal).ThenBy(Id).ToList();
        return groupBy switch
        {
            "direction" => byDeadline.OrderBy(r => _directionNumbers[r["directionId"]!.GetValue<long>()]).ThenBy(r => r["directionId"]!.GetValue<long>()),
            "owner" => byDeadline.OrderBy(r => r["ownerName"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase).ThenBy(r => r["ownerId"]!.GetValue<long>()),
            _ => byDeadline.OrderBy(r => r["taskForceId"] is null)
                .ThenBy(r => r["taskForceName"]?.GetValue<string>() ?? "", StringComparer.OrdinalIgnoreCase)
                .ThenBy(r => r["taskForceId"]?.GetValue<long>() ?? 0),
        };
    }

    private static List<(long? Id, string Name, long Count)> ExpectedGroups(IEnumerable<JsonNode> sorted, string groupBy)
    {
        var (id, name) = groupBy switch
        {
            "direction" => ("directionId", "directionTitle"),
            "owner" => ("ownerId", "ownerName"),
            _ => ("taskForceId", "taskForceName"),
        };
        var groups = new List<(long? Id, string Name, long Count)>();
        foreach (var row in sorted)
        {
            var key = row[id]?.GetValue<long>();
            if (groups.Count > 0 && groups[^1].Id == key)
            {
                groups[^1] = groups[^1] with { Count = groups[^1].Count + 1 };
            }
            else
            {
                groups.Add((key, row[name]?.GetValue<string>() ?? "(no task force)", 1));
            }
        }

        return groups;
    }

    /// <summary>The class fixture's data is made once; later tests of the class find it and read the ids back.</summary>
    private async Task<bool> InitializedAsync()
    {
        var directions = (await GetAsync("/api/v1/directions?pageSize=200"))["items"]!.AsArray();
        foreach (var d in directions)
        {
            _directionNumbers[d!["id"]!.GetValue<long>()] = d["number"]!.GetValue<int>();
        }

        if (directions.Count == 3)
        {
            return false;
        }

        _directions.AddRange(directions.Select(d => d!["id"]!.GetValue<long>()));
        _owners.AddRange((await GetAsync("/api/v1/owners?pageSize=200"))["items"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()));
        _taskForces.AddRange((await GetAsync("/api/v1/task-forces?pageSize=200"))["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()));
        return true;
    }

    private static long Id(JsonNode row) => row["initiativeId"]!.GetValue<long>();

    private async Task<JsonNode> GetAsync(string url) => await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
}
