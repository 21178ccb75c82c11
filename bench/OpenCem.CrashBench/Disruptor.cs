using System.Diagnostics;

namespace OpenCem.CrashBench;

/// <summary>One disruption of the run: what, when (events accepted so far) and how long until the server was ready again.</summary>
internal sealed record Disruption(string What, long AtEvents, TimeSpan Recovery);

/// <summary>
/// Kills the server with SIGKILL and restarts it on the same database, and (PostgreSQL) restarts the database with
/// <c>pg_ctl restart -m immediate</c> while the server keeps running, at random moments: each at a random point of
/// the run's progress (5 %–95 % of the events accepted), plus a random 0–300 ms, so it lands wherever the server
/// happens to be (parsing, queued, mid-transaction, between commit and reply).
/// </summary>
internal sealed class Disruptor(ServerProcess server, PostgresCluster? cluster, SendTally tally, long events, int kills, int databaseRestarts, Random random)
{
    public List<Disruption> Done { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var plan = Enumerable.Range(0, kills).Select(_ => "server SIGKILL")
            .Concat(Enumerable.Range(0, databaseRestarts).Select(_ => "PostgreSQL restart -m immediate"))
            .Select(what => (What: what, At: (long)(events * (0.05 + random.NextDouble() * 0.90))))
            .OrderBy(p => p.At)
            .ToList();
        foreach (var (what, at) in plan)
        {
            while (tally.AcceptedEvents < at)
            {
                await Task.Delay(5, cancellationToken);
            }

            await Task.Delay(random.Next(300), cancellationToken);
            var progress = tally.AcceptedEvents;
            var stopwatch = Stopwatch.StartNew();
            if (what == "server SIGKILL")
            {
                server.Kill();
                // Down for a random while: the senders meet refused connections and back off.
                await Task.Delay(random.Next(1000), cancellationToken);
                await server.StartAsync(cancellationToken);
            }
            else
            {
                await Task.Run(cluster!.RestartImmediately, cancellationToken);
                await server.WaitReadyAsync(TimeSpan.FromSeconds(120), cancellationToken);
            }

            Done.Add(new Disruption(what, progress, stopwatch.Elapsed));
            Console.WriteLine($"  {what} at {progress:N0} events accepted; ready again after {stopwatch.Elapsed.TotalSeconds:N1} s");
        }
    }
}
