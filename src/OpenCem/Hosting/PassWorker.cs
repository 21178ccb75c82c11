using Microsoft.Extensions.Hosting;
using OpenCem.Operations.Jobs;

namespace OpenCem.Hosting;

/// <summary>
/// A background job that works in passes: one pass at a time (the host's loop, the CLI and a demo load wait for each
/// other through <see cref="ExclusiveAsync{T}"/>), repeated after each wait; a failed pass is reported and the next
/// one tries again, so one bad batch never stops the job. Given <see cref="JobLeases"/>, the host's loop runs a pass only
/// while this process holds the job's lease, so of several server processes on one database one runs the job.
/// </summary>
public abstract class PassWorker : BackgroundService
{
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>The leases that decide which server process runs this job; none: this process always does.</summary>
    public JobLeases? Leases { get; private set; }

    /// <summary>The job's name in its lease.</summary>
    public virtual string JobName => GetType().Name;

    /// <summary>Runs the host's passes only while this process holds the job's lease in <paramref name="leases"/>.</summary>
    public void LeasedBy(JobLeases leases) => Leases = leases;

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="pass"/> while no other pass of this worker runs.</summary>
    protected async Task<T> ExclusiveAsync<T>(Func<Task<T>> pass, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            return await pass();
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>The pass the host's loop runs (and reports on).</summary>
    protected abstract Task ScheduledPassAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the next pass is due.</summary>
    protected abstract Task WaitForNextPassAsync(CancellationToken cancellationToken);

    protected abstract void PassFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = true;
            try
            {
                held = Leases is null || await Leases.TryHoldAsync(JobName, stoppingToken);
                if (held)
                {
                    await ScheduledPassAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                PassFailed(exception);
            }

            try
            {
                // Another process runs the job: ask again soon, so the job moves here shortly after that process dies.
                await (held || Leases is null ? WaitForNextPassAsync(stoppingToken) : Leases.WaitToRetryAsync(stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
