using OpenCem.Storage;

namespace OpenCem.Hosting;

/// <summary>How a server runs: on which database, at which addresses.</summary>
public sealed record ServerOptions(DatabaseTarget Database, string Urls = ServerOptions.DefaultUrls)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Minimum log level for the console; the CLI keeps it quiet, tests quieter.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;
}
