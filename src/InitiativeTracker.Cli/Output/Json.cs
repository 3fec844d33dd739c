using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace InitiativeTracker.Cli.Output;

/// <summary>
/// The generated models written back as the JSON the service sent (its field names, enum text and
/// date formats), by Kiota's own serializer; every output form reads from that.
/// </summary>
internal static class Json
{
    public static JsonElement Of(IParsable value)
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, value);
        using var content = writer.GetSerializedContent();
        using var document = JsonDocument.Parse(content);
        return document.RootElement.Clone();
    }

    public static List<JsonElement> Of(IEnumerable<IParsable>? values) => values?.Select(Of).ToList() ?? [];
}
