using OpenCem.Storage;

namespace OpenCem.Hosting;

/// <summary>How a server runs: on which database, at which addresses.</summary>
public sealed record ServerOptions(DatabaseTarget Database, string Urls = ServerOptions.DefaultUrls)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Minimum log level for the console; the CLI keeps it quiet, tests quieter.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>
    /// The URL respondents reach this server at, for survey links (e.g. https://feedback.example.com). Defaults to
    /// the configuration key <c>PublicUrl</c>, then to the address the server listens on.
    /// </summary>
    public string? PublicUrl { get; init; }

    /// <summary>SMTP settings for e-mail invitations; defaults to the configuration section <c>Smtp</c>.</summary>
    public OpenCem.Feedback.Distribution.SmtpOptions? Smtp { get; init; }

    /// <summary>
    /// Configuration keys (<c>Smtp:Host</c>, <c>PublicUrl</c>, <c>Surveys:DispatchIntervalSeconds</c>, ...) that take
    /// precedence over appsettings.json and environment variables: the CLI's flags write these.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Configuration { get; init; }

    /// <summary>The clock of the whole server; tests pass a fake one to move time forward.</summary>
    public TimeProvider? Time { get; init; }
}
