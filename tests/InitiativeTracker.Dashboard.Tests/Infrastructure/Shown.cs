using System.Globalization;
using System.Text.Json;

namespace InitiativeTracker.Dashboard.Tests.Infrastructure;

/// <summary>How the dashboard writes the API's numbers (dom.js <c>format</c>), to compare the page with the reports.</summary>
public static class Shown
{
    private const string None = "–";

    public static string Count(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? None : value.GetInt64().ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Mean progress 0–100, at most one decimal: 48.3%, 40%.</summary>
    public static string Progress(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? None : value.GetDouble().ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A rate 0–1 as a whole percentage: 0.6667 → 67%.</summary>
    public static string Rate(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? None
            : Math.Round(value.GetDouble() * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";
}
