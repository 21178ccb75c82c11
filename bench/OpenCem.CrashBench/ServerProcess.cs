using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace OpenCem.CrashBench;

/// <summary>
/// The real server as a child process: <c>opencem serve</c> on 127.0.0.1 and one fixed port, on the bench's database.
/// Its output goes to a log file per start; it is started through <c>sh -c exec</c>, so the process id the bench
/// holds is the server's own and SIGKILL reaches it directly.
/// </summary>
internal sealed class ServerProcess(string cli, string database, string logDirectory) : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    public int Port { get; } = PostgresCluster.FreePort();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The running server's process id (for /proc/PID: its memory and CPU), or null when it is not running.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>How many times the server was started, the first start included.</summary>
    public int Starts { get; private set; }

    /// <summary>Starts the server and waits until <c>/readyz</c> answers 200; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            Starts++;
            var log = Path.Combine(logDirectory, $"server-{Starts:D2}.log");
            var info = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardInput = true };
            foreach (var argument in new[] { "-c", "exec \"$0\" serve --db \"$1\" --urls \"$2\" >>\"$3\" 2>&1", cli, database, BaseAddress.ToString().TrimEnd('/'), log })
            {
                info.ArgumentList.Add(argument);
            }

            _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {cli}.");
            if (await ReadyAsync(_process, TimeSpan.FromSeconds(90), cancellationToken))
            {
                return stopwatch.Elapsed;
            }

            // The port may linger for a moment after a kill, or start-up failed: show why and try again.
            Kill();
            if (attempt == 5)
            {
                throw new InvalidOperationException($"The server did not become ready after {attempt} starts; see {log}:\n{Tail(log)}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown hook, no flush, no draining of the ingestion queue.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false); // SIGKILL on Linux.
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>A graceful stop (SIGTERM) before the database is checked, so no background pass runs meanwhile.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Waits for the running server to answer <c>/readyz</c> with 200 (after the database came back).</summary>
    public async Task WaitReadyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        if (_process is null || !await ReadyAsync(_process, limit, cancellationToken))
        {
            throw new InvalidOperationException($"The running server did not become ready again within {limit.TotalSeconds:N0} s.");
        }
    }

    private async Task<bool> ReadyAsync(Process process, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await Probe.GetAsync(new Uri(BaseAddress, "/readyz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(30)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }
}
