using System.Globalization;
using OpenCem.Storage;
using OpenCem.Value.Lifetime;

namespace OpenCem.Value.Fits;

/// <summary>
/// Runs one stored fit: reads the purchases, fits on the cohort of the calibration period, checks the holdout after it,
/// values every customer as of the last purchase day with the fitted parameters, writes <c>customer_values</c> and
/// stores the result. A fit the data cannot support is stored as failed with the reason and the field to change.
/// </summary>
public sealed class ClvFitRunner(Database database, ClvFitStore store, TimeProvider time)
{
    public async Task RunAsync(long workspaceId, long fitId, CancellationToken cancellationToken = default)
    {
        try
        {
            var request = await store.RequestAsync(fitId, cancellationToken);
            var result = await FitAsync(workspaceId, fitId, request, cancellationToken);
            await store.FinishAsync(fitId, result, cancellationToken);
        }
        catch (ClvDataException exception)
        {
            await store.FailAsync(fitId, exception.Message, exception.Field, CancellationToken.None);
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

    private async Task<ClvFitResultView> FitAsync(long workspaceId, long fitId, ClvFitRequest request, CancellationToken cancellationToken)
    {
        var settings = Settings(request);
        Purchase[] purchases;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            purchases = await PurchaseLog.ReadAsync(connection, workspaceId, cancellationToken);
        }

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

        var model = ClvFitting.Fit(calibration.Complete(), settings, holdoutPeriods);
        await store.ProgressAsync(fitId, 0.6, cancellationToken);
        var value = ClvValuation.Value(model.BgNbd, model.GammaGamma, current.Complete(), settings);
        await store.ProgressAsync(fitId, 0.8, cancellationToken);
        await using (var connection = await database.OpenForBulkLoadAsync(cancellationToken))
        {
            await CustomerValueWriter.WriteAsync(connection, workspaceId, fitId, value.Customers, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }

        var (b, g) = (model.BgNbd, model.GammaGamma);
        return new ClvFitResultView(
            fitId, model.N, new BgNbdView(b.R, b.Alpha, b.A, b.B), new GammaGammaView(g.P, g.Q, g.Gamma), model.LogLikelihood, value.CustomerEquity,
            model.Holdout, "cumulative", model.Calibration, model.RepeatCustomers, model.DistinctTuples, request.CalibrationEnd, settings.TimeUnit.Name(),
            settings.Horizon, settings.DiscountRate, Date(lastDay), value.Customers.Length, value.ExpectedPurchases, purchases.Length);
    }

    private static string Date(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
