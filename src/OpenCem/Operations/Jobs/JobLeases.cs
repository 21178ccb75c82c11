using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenCem.Storage;

namespace OpenCem.Operations.Jobs;

/// <summary>
/// Which server process runs each background job, decided in the database so that several processes on one database
/// never run a job twice. A process holds a job's lease until it expires (<see cref="JobLeaseOptions.Term"/>) and
/// renews all of its leases in one statement three times per term; a process that stops gives its leases back, and the
/// leases of one that died run out, after which the next process to try takes the job over.
/// </summary>
public sealed partial class JobLeases(Database database, JobLeaseOptions options, TimeProvider time, ILogger<JobLeases> logger) : BackgroundService
{
    // Each job this process holds, with the time until which it is sure to (the renewal term less one renewal).
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);

    /// <summary>This process, as the leases name it: host, process id and a per-start nonce (a restarted process is a new holder).</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long TermMs => (long)options.Term.TotalMilliseconds;

    private long SafeMs => TermMs - (long)options.RenewEvery.TotalMilliseconds;

    /// <summary>Whether this process may run <paramref name="job"/> now: true when it holds the lease or has just taken it.</summary>
    public async Task<bool> TryHoldAsync(string job, CancellationToken cancellationToken)
    {
        var now = Now;
        if (_held.TryGetValue(job, out var sureUntil) && sureUntil > now)
        {
            return true;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Taken when free, expired or already ours; an upsert whose WHERE fails changes no row on either database.
        var taken = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO job_leases (job, holder, held_since, expires_at) VALUES (@job, @holder, @now, @expires)
            ON CONFLICT (job) DO UPDATE SET
                held_since = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.held_since ELSE excluded.held_since END,
                holder = excluded.holder,
                expires_at = excluded.expires_at
            WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < @now
            """,
            new { job, holder = Holder, now, expires = now + TermMs }, cancellationToken: cancellationToken)) == 1;
        if (taken)
        {
            if (_held.TryAdd(job, now + SafeMs))
            {
                LogTaken(job, Holder);
            }
            else
            {
                _held[job] = now + SafeMs;
            }
        }
        else
        {
            _held.TryRemove(job, out _);
        }

        return taken;
    }

    /// <summary>The wait of a process that another one runs a job for, before it asks for the lease again.</summary>
    public Task WaitToRetryAsync(CancellationToken cancellationToken) => Task.Delay(options.RenewEvery, time, cancellationToken);

    /// <summary>Every job's lease as stored: who holds it since when, and until when.</summary>
    public async Task<IReadOnlyList<JobLease>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = Now;
        var rows = await connection.QueryAsync<JobLeaseRow>(new CommandDefinition(
            "SELECT job AS Job, holder AS Holder, held_since AS HeldSince, expires_at AS ExpiresAt FROM job_leases ORDER BY job",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new JobLease(r.Job, r.Holder, r.HeldSince, r.ExpiresAt, r.ExpiresAt < now, r.Holder == Holder))];
    }

    /// <summary>Renews this process's leases in one statement and forgets the ones another process has taken meanwhile.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (_held.IsEmpty)
        {
            return;
        }

        var now = Now;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE job_leases SET expires_at = @expires WHERE holder = @holder AND expires_at >= @now",
            new { holder = Holder, now, expires = now + TermMs }, cancellationToken: cancellationToken));
        var stillHeld = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT job FROM job_leases WHERE holder = @holder", new { holder = Holder }, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        foreach (var job in _held.Keys)
        {
            if (stillHeld.Contains(job))
            {
                _held[job] = now + SafeMs;
            }
            else if (_held.TryRemove(job, out _))
            {
                LogLost(job);
            }
        }
    }

    /// <summary>Gives every lease of this process back, so another process takes the jobs over at once.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        _held.Clear();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM job_leases WHERE holder = @holder", new { holder = Holder }, cancellationToken: cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.RenewEvery, time, stoppingToken);
                await RenewAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A renewal that fails leaves the leases to run out; the jobs stop here once they are no longer sure.
                LogRenewalFailed(exception);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await ReleaseAllAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReleaseFailed(exception);
        }
    }

    private sealed class JobLeaseRow
    {
        public string Job { get; set; } = "";

        public string Holder { get; set; } = "";

        public long HeldSince { get; set; }

        public long ExpiresAt { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Background job {Job} now runs in this process ({Holder})")]
    private partial void LogTaken(string job, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background job {Job} was taken over by another process")]
    private partial void LogLost(string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the background job leases failed; they run out unless the next renewal succeeds")]
    private partial void LogRenewalFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving the background job leases back failed; other processes take them over when they run out")]
    private partial void LogReleaseFailed(Exception exception);
}

/// <summary>A background job's lease: <paramref name="Expired"/> means any process may take it; <paramref name="ThisProcess"/> that the answering process holds it.</summary>
public sealed record JobLease(string Job, string Holder, long HeldSince, long ExpiresAt, bool Expired, bool ThisProcess);
