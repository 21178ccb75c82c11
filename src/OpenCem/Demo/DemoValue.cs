using System.Globalization;
using OpenCem.Storage;
using OpenCem.Value.Fits;

namespace OpenCem.Demo;

/// <summary>
/// Fits customer lifetime value once the demo's purchases are in, so the customer 360 and the equity report show CLV
/// and probability alive on first look: the last six months are the holdout, CLV over a year at 1 % a month.
/// (The churn model is not trained here: a newcomer trains it with the label of their choice.)
/// </summary>
internal static class DemoValue
{
    public static async Task FitAsync(Database database, TimeProvider time, long workspaceId, DemoOptions options, CancellationToken cancellationToken)
    {
        var calibrationEnd = options.ResolveAsOf().AddDays(-182).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var fits = new ClvFitStore(database, time);
        var id = await fits.QueueAsync(workspaceId, new ClvFitRequest(calibrationEnd, "month", 12, 0.01), cancellationToken);
        // Claimed like the worker claims, so a server started on this database later does not run it again. A demo too
        // small to support a fit keeps the failed fit with its reason and loads on.
        if (await fits.ClaimAsync(id, cancellationToken))
        {
            await new ClvFitRunner(database, fits, time).RunAsync(workspaceId, id, cancellationToken);
        }
    }
}
