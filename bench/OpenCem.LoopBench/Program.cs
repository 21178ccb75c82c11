using System.Globalization;
using OpenCem.LoopBench;

// Closed-loop latency: from a detractor's response stored to the case the rule opened being stored, and to that case's
// signed webhook arriving at a receiver on loopback; first with nothing else running (the baseline), then while
// tracking ingestion runs at full speed.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var databases = args.Contains("--postgres") ? ["postgres"] : args.Contains("--sqlite") ? ["sqlite"] : new[] { "sqlite", "postgres" };
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(15);
var machine = MachineInfo.Read();
Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; .NET {Environment.Version}");
Console.WriteLine($"Command: dotnet run -c Release --project bench/OpenCem.LoopBench -- {string.Join(' ', args)}");
foreach (var db in databases)
{
    await using var bench = await BenchDatabases.StartAsync(db);
    await using var loop = await LoopServer.StartAsync(await bench.CreateAsync("loop"));
    using var receiver = new WebhookReceiver();
    await loop.SubscribeAsync(receiver.Url);
    Console.WriteLine($"{db}: {bench.Description}");
    var idle = await LoopProbe.RunAsync(loop, receiver, TimeSpan.FromSeconds(seconds), ingestSenders: 0);
    var busy = await LoopProbe.RunAsync(loop, receiver, TimeSpan.FromSeconds(seconds), ingestSenders: 4);
    Report(db, "idle (baseline)", idle);
    Report(db, "ingestion at full speed", busy);
    Console.WriteLine($"| {db} | p50 ratio busy/idle {busy.Latency.P50 / idle.Latency.P50:N2} | p99 ratio {busy.Latency.P99 / idle.Latency.P99:N2} |");
}

return 0;

static void Report(string db, string phase, LoopResult result) =>
    Console.WriteLine(
        $"| {db} | {phase} | {result.Latency.Count} detractors | case p50 {result.Latency.P50:N0} ms | p95 {result.Latency.P95:N0} ms | p99 {result.Latency.P99:N0} ms | max {result.Latency.Max:N0} ms "
        + $"| webhook delivered p50 {result.Delivered.P50:N0} ms | p99 {result.Delivered.P99:N0} ms | max {result.Delivered.Max:N0} ms "
        + $"| {result.InteractionsPerSecond:N0} interactions/s | {result.Missing} missing |");

namespace OpenCem.LoopBench
{
    internal sealed record LoopResult(LatencySummary Latency, LatencySummary Delivered, double InteractionsPerSecond, int Missing);

}
