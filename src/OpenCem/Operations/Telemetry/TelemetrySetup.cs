using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OpenCem.Operations.Telemetry;

/// <summary>
/// Exports metrics and traces over OTLP when an endpoint is configured (<c>Telemetry:OtlpEndpoint</c> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): OpenCem's meter and spans, ASP.NET Core's request metrics and spans, and the
/// runtime's. Without an endpoint nothing is registered, so the tracking hot path creates no activities.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddOpenCemTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration["Telemetry:OtlpEndpoint"] ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ServerConfigurationException($"Configuration key 'Telemetry:OtlpEndpoint' has the invalid value '{endpoint}'; expected an http(s) address such as http://127.0.0.1:4318.");
        }

        var protocol = configuration["Telemetry:OtlpProtocol"] is "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        var interval = int.TryParse(configuration["Telemetry:ExportIntervalSeconds"], out var seconds) && seconds > 0 ? seconds : 60;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("opencem", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics.AddMeter(OpenCemTelemetry.Name).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing.AddSource(OpenCemTelemetry.Name).AddAspNetCoreInstrumentation())
            .UseOtlpExporter(protocol, url);
        services.Configure<MetricReaderOptions>(reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval * 1000);
        return services;
    }
}
