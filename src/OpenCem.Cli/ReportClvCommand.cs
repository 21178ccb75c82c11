using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCem.Value.Fits;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary><c>opencem report clv --calibration-end DATE</c>: fits BG/NBD and Gamma-Gamma as the API does and prints the parameters, the equity and the holdout.</summary>
internal static class ReportClvCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var end = new Option<string>("--calibration-end") { Description = "YYYY-MM-DD: purchases up to it calibrate the models, later ones check them.", Required = true };
        var unit = new Option<string>("--time-unit") { Description = "week (default), day or month.", DefaultValueFactory = _ => "week" };
        var horizon = new Option<int>("--horizon") { Description = "CLV horizon in periods of --time-unit.", DefaultValueFactory = _ => 52 };
        var rate = new Option<double>("--discount-rate") { Description = "Discount rate per period of --time-unit.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (as the API returns it)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("clv", "Customer lifetime value: fits BG/NBD and Gamma-Gamma on the purchases, writes every customer's CLV and prints the parameters, customer equity and the holdout check.")
        {
            end, unit, horizon, rate, json, db, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var body = new JsonObject
            {
                ["calibrationEnd"] = parse.GetRequiredValue(end),
                ["timeUnit"] = parse.GetRequiredValue(unit),
                ["horizon"] = parse.GetValue(horizon),
                ["discountRate"] = parse.GetValue(rate),
            };
            var errors = new Dictionary<string, string[]>();
            var request = ClvApi.Read(JsonSerializer.SerializeToElement(body), errors)
                ?? throw new CommandException(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var store = new ClvFitStore(database, TimeProvider.System);
                var runner = new ClvFitRunner(database, store, TimeProvider.System);
                var id = await store.QueueAsync(ws.Id, request, cancellationToken);
                if (!await store.ClaimAsync(id, cancellationToken))
                {
                    throw new CommandException($"Fit {id} was taken by a running server; see GET /api/v1/analytics/clv/fits/{id}.");
                }

                await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
                {
                    var task = context.AddTask($"Fitting (fit {id})", maxValue: 1);
                    var run = runner.RunAsync(ws.Id, id, cancellationToken);
                    while (await Task.WhenAny(run, Task.Delay(250, cancellationToken)) != run)
                    {
                        task.Value = (await store.GetAsync(ws.Id, id, cancellationToken))?.Progress ?? 0;
                    }

                    await run;
                    task.Value = 1;
                });
                var fit = await store.GetAsync(ws.Id, id, cancellationToken);
                if (fit?.Result is not { } result)
                {
                    throw new CommandException(fit?.Error ?? "The fit failed.");
                }

                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(result, Json));
                    return 0;
                }

                Print(result);
                return 0;
            }
        }));
        return command;
    }

    private static void Print(ClvFitResultView r)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Fit {r.FitId}: {r.N:N0} customers in the calibration cohort (to {r.CalibrationEnd}), {r.RepeatCustomers:N0} with repeat purchases; time unit {r.TimeUnit}."));
        Console.WriteLine(string.Create(c, $"BG/NBD:      r = {r.Bgnbd.R:0.000}  alpha = {r.Bgnbd.Alpha:0.000}  a = {r.Bgnbd.A:0.000}  b = {r.Bgnbd.B:0.000}  (log-likelihood {r.LogLikelihood:0.00})"));
        Console.WriteLine(string.Create(c, $"Gamma-Gamma: p = {r.GammaGamma.P:0.000}  q = {r.GammaGamma.Q:0.000}  gamma = {r.GammaGamma.Gamma:0.000}"));
        Console.WriteLine(string.Create(c, $"Customer equity: {r.CustomerEquity:N2} over {r.CustomersValued:N0} customers as of {r.AsOf} ({r.Horizon} {r.TimeUnit}s, discount {r.DiscountRate:0.####} per {r.TimeUnit}); {r.ExpectedPurchases:N0} purchases expected."));
        var end = r.Holdout[^1];
        Console.WriteLine(string.Create(c, $"Holdout ({r.Holdout.Count} {r.TimeUnit}s after the calibration end, cumulative repeat purchases): predicted {end.Predicted:N0}, actual {end.Actual:N0} ({(end.Predicted / Math.Max(1, end.Actual)) - 1:+0.0%;-0.0%})."));
        var table = new Table().AddColumns("period", "predicted", "actual");
        var step = Math.Max(1, r.Holdout.Count / 13);
        foreach (var point in r.Holdout.Where((_, i) => (i + 1) % step == 0 || i == r.Holdout.Count - 1))
        {
            table.AddRow(point.Period.ToString(c), point.Predicted.ToString("N1", c), point.Actual.ToString("N0", c));
        }

        AnsiConsole.Write(table);
    }
}
