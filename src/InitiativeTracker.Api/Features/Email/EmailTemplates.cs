using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>An email's two bodies.</summary>
internal sealed record RenderedEmail(string Text, string Html);

/// <summary>One initiative as an email lists it.</summary>
public sealed record EmailInitiative
{
    public required string Title { get; init; }
    public required string Direction { get; init; }
    public string? TaskForce { get; init; }
    public required string Owner { get; init; }
    public required string Deadline { get; init; }

    /// <summary>"overdue by 3 days", "due in 7 days", "due today".</summary>
    public required string When { get; init; }

    /// <summary>Whether <see cref="When"/> is bad news (drawn in red).</summary>
    public bool Late { get; init; }

    public int Progress { get; init; }

    /// <summary>"5 days ago" or "never".</summary>
    public required string LastCheckIn { get; init; }
}

/// <summary>A titled table of initiatives; <see cref="More"/> counts those left out.</summary>
public sealed record EmailSection
{
    public required string Heading { get; init; }
    public required string Note { get; init; }
    public required IReadOnlyList<EmailInitiative> Rows { get; init; }
    public long More { get; init; }
}

/// <summary>A count per direction (the digest's first table).</summary>
public sealed record EmailCount(string Name, long Count);

/// <summary>Everything an email's templates read.</summary>
public sealed record EmailModel
{
    public required string Title { get; init; }
    public required string Greeting { get; init; }
    public required IReadOnlyList<string> Intro { get; init; }
    public IReadOnlyList<EmailCount> Counts { get; init; } = [];
    public string? CountsHeading { get; init; }
    public IReadOnlyList<EmailSection> Sections { get; init; } = [];
    public required string DashboardUrl { get; init; }
    public string? CsvUrl { get; init; }
    public string? UnsubscribeUrl { get; init; }
    public required string Why { get; init; }
}

/// <summary>
/// Renders an email's plain-text and HTML bodies from the Liquid templates in <c>Templates/</c> (embedded),
/// with Fluid: one engine for both parts (Razor components would give the HTML only), the templates readable
/// as the mail they make. HTML output is encoded with every Unicode range allowed, so Chinese names stay
/// text rather than becoming character references; the text part is not encoded at all.
/// </summary>
internal static class EmailTemplates
{
    private static readonly FluidParser s_parser = new();
    private static readonly TemplateOptions s_options = new TemplateOptionsBuilder().Build();
    private static readonly IFluidTemplate s_text = Load("email.txt.liquid");
    private static readonly IFluidTemplate s_html = Load("email.html.liquid");
    private static readonly HtmlEncoder s_htmlEncoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static async Task<RenderedEmail> RenderAsync(EmailModel model)
    {
        var text = await s_text.RenderAsync(new TemplateContext(model, s_options), NullEncoder.Default);
        var html = await s_html.RenderAsync(new TemplateContext(model, s_options), s_htmlEncoder);
        return new RenderedEmail(text, html);
    }

    private static IFluidTemplate Load(string name)
    {
        var assembly = typeof(EmailTemplates).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return s_parser.Parse(reader.ReadToEnd());
    }
}
