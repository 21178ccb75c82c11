using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenCem.Storage;

/// <summary>
/// Copies SQLite's write-ahead log into the database file in the background, so that the checkpoint the ingestion
/// writer still runs itself (every 1,000 pages, which is what keeps the log from growing without bound under a
/// continuous stream of commits) finds little left to copy. PASSIVE checkpoints block neither writer nor readers.
/// </summary>
public sealed partial class SqliteCheckpointer(Database database, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CheckpointAsync("PASSIVE", stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCheckpointFailed(exception);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Leaves a small WAL behind on a clean shutdown; a failure here (a full disk) must not stop the shutdown.
            await CheckpointAsync("TRUNCATE", cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCheckpointFailed(exception);
        }
    }

    private async Task CheckpointAsync(string mode, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background WAL checkpoint failed")]
    private partial void LogCheckpointFailed(Exception exception);
}
