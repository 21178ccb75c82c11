using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenCem.Storage;
using OpenCem.Value.Lifetime;

namespace OpenCem.Value.Fits;

/// <summary>
/// Runs one stored fit: reads the purchases, fits on the cohort of the calibration period, checks the holdout after it,
/// values every customer as of the last purchase day with the fitted parameters, writes <c>customer_values</c> and
/// stores the result. A fit the data cannot support is stored as failed with the reason and the field to change.
/// Each phase is timed and logged, so a slow fit says where its time went.
/// </summary>
public sealed partial class ClvFitRunner(Database database, ClvFitStore store, TimeProvider time, ILogger<ClvFitRunner>? logger = null)
{
    /// <summary>Runs the fit; returns the time of each phase (as far as it got).</summary>
    public async Task<ClvFitPhases> RunAsync(long workspaceId, long fitId, CancellationToken cancellationToken = default)
    {
        var phases = new ClvFitPhases();
        try
        {
            var request = await store.RequestAsync(fitId, cancellationToken);
            var result = await FitAsync(workspaceId, fitId, request, phases, cancellationToken);
            await store.FinishAsync(fitId, result, cancellationToken);
            if (logger is not null)
            {
                LogPhases(logger, fitId, phases.ToString());
            }

            return phases;
        }
        catch (ClvDataException exception)
        {
            await store.FailAsync(fitId, exception.Message, exception.Field, CancellationToken.None);
            return phases;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await store.FailAsync(fitId, $"The fit failed: {exception.Message}", null, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Reads the settings of a stored request (validated when it was posted).</summary>
    public static ClvSettings Settings(ClvFitRequest request)
    {
        ClvTimeUnits.TryParse(request.TimeUnit, out var unit);
        return new ClvSettings(DateOnly.ParseExact(request.CalibrationEnd, "yyyy-MM-dd", CultureInfo.InvariantCulture), unit, request.Horizon, request.DiscountRate);
    }

    private async Task<ClvFitResultView> FitAsync(long workspaceId, long fitId, ClvFitRequest request, ClvFitPhases phases, CancellationToken cancellationToken)
    {
        var settings = Settings(request);
        Purchase[] purchases;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            purchases = await PurchaseLog.ReadAsync(connection, workspaceId, cancellationToken);
        }

        phases.Mark("read purchases");
        await store.ProgressAsync(fitId, 0.2, cancellationToken);
        if (purchases.Length == 0)
        {
            throw new ClvDataException("calibrationEnd", "Too little data: the workspace has no purchases (transactions or tracked events with revenue).");
        }

        var lastDay = purchases.Max(p => p.Day);
        var end = settings.CalibrationEndDay;
        var unitDays = settings.TimeUnit.Days();
        if (lastDay <= end)
        {
            throw new ClvDataException("calibrationEnd",
                $"No purchase after the calibration end {request.CalibrationEnd} (the last is on {Date(lastDay)}): there is no holdout period to check the model on; choose an earlier calibrationEnd.");
        }

        var holdoutPeriods = RfmSummary.HoldoutPeriod(lastDay, end, unitDays);
        var calibration = new RfmSummary(end, settings.TimeUnit, holdoutPeriods);
        var current = new RfmSummary(lastDay, settings.TimeUnit, 0);
        foreach (var purchase in purchases)
        {
            calibration.Add(purchase);
            current.Add(purchase);
        }

        var cohort = calibration.Complete();
        var everyone = current.Complete();
        phases.Mark("summarise");
        var model = ClvFitting.Fit(cohort, settings, holdoutPeriods, phases.Mark);
        await store.ProgressAsync(fitId, 0.6, cancellationToken);
        var value = ClvValuation.Value(model.BgNbd, model.GammaGamma, everyone, settings);
        phases.Mark("valuation");
        await store.ProgressAsync(fitId, 0.8, cancellationToken);
        await using (var connection = await database.OpenForBulkLoadAsync(cancellationToken))
        {
            await CustomerValueWriter.WriteAsync(connection, workspaceId, fitId, value.Customers, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }

        phases.Mark("write");

        var (b, g) = (model.BgNbd, model.GammaGamma);
        return new ClvFitResultView(
            fitId, model.N, new BgNbdView(b.R, b.Alpha, b.A, b.B), new GammaGammaView(g.P, g.Q, g.Gamma), model.LogLikelihood, value.CustomerEquity,
            model.Holdout, "cumulative", model.Calibration, model.RepeatCustomers, model.DistinctTuples, request.CalibrationEnd, settings.TimeUnit.Name(),
            settings.Horizon, settings.DiscountRate, Date(lastDay), value.Customers.Length, value.ExpectedPurchases, purchases.Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CLV fit {FitId}: {Phases}")]
    private static partial void LogPhases(ILogger logger, long fitId, string phases);

    private static string Date(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
