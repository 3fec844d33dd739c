using System.ComponentModel.DataAnnotations;

namespace InitiativeTracker.Api.Infrastructure;

/// <summary>The <c>Tracker</c> configuration section, validated at start-up.</summary>
public sealed class TrackerOptions
{
    public const string Section = "Tracker";

    /// <summary>A shorter bootstrap key is refused at start-up outside Development: it would be guessable.</summary>
    public const int MinBootstrapKeyLength = 16;

    /// <summary>IANA zone that decides what "today" is.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>When set, a request carrying this key is the admin named <c>bootstrap</c>.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>When true, an empty database is filled with demo initiatives on start.</summary>
    public bool DemoData { get; set; }
}
