using Microsoft.Extensions.Hosting;

namespace OpenCem.Hosting;

/// <summary>
/// A background job that works in passes: one pass at a time (the host's loop, the CLI and a demo load wait for each
/// other through <see cref="ExclusiveAsync{T}"/>), repeated after each wait; a failed pass is reported and the next
/// one tries again, so one bad batch never stops the job.
/// </summary>
public abstract class PassWorker : BackgroundService
{
    private readonly SemaphoreSlim _pass = new(1, 1);

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
            try
            {
                await ScheduledPassAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                PassFailed(exception);
            }

            try
            {
                await WaitForNextPassAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
