using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace InitiativeTracker.Api.Tests.Infrastructure;

public static class Http
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string json) =>
        client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>A GET that sends <c>If-None-Match</c>.</summary>
    public static Task<HttpResponseMessage> GetIfNoneMatchAsync(this HttpClient client, string url, string ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return client.SendAsync(request);
    }

    /// <summary>A merge patch (RFC 7396), optionally conditional on <paramref name="ifMatch"/>.</summary>
    public static Task<HttpResponseMessage> PatchMergeAsync(this HttpClient client, string url, string json, string? ifMatch = null) =>
        client.SendJsonAsync(HttpMethod.Patch, url, json, "application/merge-patch+json", ifMatch);

    /// <summary>Any method with a raw body (null for none) of any content type, optionally with <c>If-Match</c>.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(
        this HttpClient client, HttpMethod method, string url, string? body, string contentType = "application/json", string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty body.");
    }

    /// <summary>Asserts the status, and returns the JSON body.</summary>
    public static async Task<JsonNode> ShouldBe(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "the body was {0}", text);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Asserts the status, and returns the body as text.</summary>
    public static async Task<string> ShouldBeText(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "the body was {0}", text);
        return text;
    }

    /// <summary>Asserts a problem+json answer with this status, and that <paramref name="errorKeys"/> are among its errors.</summary>
    public static async Task<JsonNode> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status, params string[] errorKeys)
    {
        var body = await response.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body["status"]!.GetValue<int>().Should().Be((int)status);
        body["type"]!.GetValue<string>().Should().StartWith("https://initiative-tracker.example/problems/");
        body["title"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        body["detail"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        body["traceId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        foreach (var key in errorKeys)
        {
            body["errors"]?.AsObject().Should().ContainKey(key, "the problem was {0}", body.ToJsonString());
            body["errors"].Should().NotBeNull("the problem should carry errors: {0}", body.ToJsonString());
        }

        return body;
    }

    public static async Task<JsonNode> CreateAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        return await response.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>Creates a resource and returns its id.</summary>
    public static async Task<long> IdOfAsync(this HttpClient client, string url, object body) =>
        (await client.CreateAsync(url, body))["id"]!.GetValue<long>();
}
