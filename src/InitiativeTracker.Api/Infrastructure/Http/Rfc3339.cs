using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// Timestamps a client sends: RFC 3339, so with an offset (<c>Z</c> or <c>±hh:mm</c>), any offset, read
/// as the instant it names. A timestamp without one is refused rather than read in the server's zone,
/// which the client cannot know.
/// </summary>
public static class Rfc3339
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is { Length: > 10 } && HasOffset(text)
            && DateTimeOffset.TryParseExact(text, s_formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static readonly string[] s_formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private static bool HasOffset(string text) =>
        text[^1] is 'Z' or 'z' || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    /// <summary>Reads <see cref="DateTimeOffset"/> request fields by <see cref="TryParse"/>; writes them in UTC with <c>Z</c>.</summary>
    public sealed class Converter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException("Expected an RFC 3339 timestamp with an offset, such as 2027-01-03T21:48:10Z or 2027-01-04T05:48:10+08:00.");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}
