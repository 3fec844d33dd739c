using System.Text;
using System.Text.Json;
using InitiativeTracker.Api.Infrastructure.Errors;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The members a JSON text names more than once in one object, at any depth. The serializer
/// (<see cref="TrackerJson"/>, <c>AllowDuplicateProperties = false</c>) refuses such a body but says only
/// where it stopped; this names each one as an error key, so <c>{"role":"viewer","role":"admin"}</c> is a
/// 400 keyed <c>role</c> rather than the last value silently winning. Names compare ignoring case, as
/// bodies bind (<c>role</c> and <c>Role</c> are the same field); the key is the second spelling, as sent.
/// </summary>
public static class DuplicateMembers
{
    /// <summary>At most this many are named; a body of a million repeats is refused by its first few.</summary>
    public const int MaxListed = 10;

    public static string Message(string name) => $"'{name}' appears more than once.";

    /// <summary>
    /// Each member named twice, as a path (<c>role</c>, <c>owner.email</c>, <c>[3].ownerId</c>) with the
    /// name itself; empty for a text without any, and for the part of a text that is not JSON (whatever
    /// reads it next says so).
    /// </summary>
    public static List<(string Path, string Name)> Find(ReadOnlySpan<byte> json)
    {
        List<(string, string)> found = [];
        List<Frame> frames = [];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = TrackerJson.Options.MaxDepth + 1 });
        try
        {
            while (found.Count < MaxListed && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        frame.Name = reader.GetString()!;
                        if (!frame.Names!.Add(frame.Name))
                        {
                            found.Add((Path(frames), frame.Name));
                        }

                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a name that is not well-formed text: not this check's to report.
        }

        return found;
    }

    /// <summary>The errors of a 400, one for each member <paramref name="found"/> named twice.</summary>
    public static Dictionary<string, string[]> Errors(IEnumerable<(string Path, string Name)> found) =>
        found.GroupBy(d => d.Path).ToDictionary(g => g.Key, g => new[] { Message(g.First().Name) });

    /// <summary>Refuses <paramref name="json"/> with a 400 when it names a member twice, keyed as the client spelled it (not camelCased).</summary>
    public static void Refuse(ReadOnlySpan<byte> json)
    {
        if (Find(json) is { Count: > 0 } found)
        {
            throw Invalid.Keys(Errors(found));
        }
    }

    /// <summary>A value starts: in an array, it is the next element.</summary>
    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private static string Path(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else
            {
                path.Append(path.Length == 0 ? "" : ".").Append(frame.Name);
            }
        }

        return path.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string Name { get; set; } = "";

        public HashSet<string>? Names { get; } = isArray ? null : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    }
}
