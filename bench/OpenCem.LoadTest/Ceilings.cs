using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Interactions;

namespace OpenCem.LoadTest;

/// <summary>A ceiling: the same client and bodies against a stub endpoint that stores nothing.</summary>
internal sealed record CeilingResult(string Stub, long Events, double EventsPerSecond, LatencySummary Latency, CpuUse Cpu);

/// <summary>
/// Upper bounds that need no database: the same HTTP client, bodies and concurrency against a bare Kestrel endpoint
/// on loopback that (a) only reads the body and answers, or (b) also parses it as the tracking API does (JsonDocument
/// plus <see cref="TrackingEventParser"/> for every call). With the full server's rate this splits the cost into HTTP,
/// parsing and storing.
/// </summary>
internal static class Ceilings
{
    public static async Task<IReadOnlyList<CeilingResult>> RunAsync(byte[][] bodies, int batch, int connections, string writeKey)
    {
        var results = new List<CeilingResult>();
        foreach (var parse in new[] { false, true })
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * 1024 * 1024);
            builder.Logging.ClearProviders();
            await using var app = builder.Build();
            app.MapPost("/v1/batch", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream(64 * 1024);
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                if (parse)
                {
                    using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
                    var receivedAt = DateTimeOffset.UtcNow;
                    foreach (var call in document.RootElement.GetProperty("batch").EnumerateArray())
                    {
                        if (!TrackingEventParser.TryParse(call, null, receivedAt, null, out _, out _))
                        {
                            return Results.BadRequest();
                        }
                    }
                }

                return Results.Text("{\"success\":true}", "application/json");
            });
            await app.StartAsync();
            var address = OpenCemServer.Addresses(app).First();
            var load = new HttpLoad(new Uri(address + "/"), writeKey);
            var result = await load.RunMaxAsync(bodies, batch, connections, long.MaxValue / 2, TimeSpan.FromMinutes(5), (_, _) => { });
            results.Add(new CeilingResult(parse ? "read body + JSON parse + TrackingEventParser" : "read body only", result.Events,
                result.EventsPerSecond, result.Latency, result.Cpu));
            await app.StopAsync();
        }

        return results;
    }
}
