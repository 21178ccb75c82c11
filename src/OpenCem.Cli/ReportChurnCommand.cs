using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenCem.Customers;
using OpenCem.Value.Churn;
using OpenCem.Value.Equity;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary>
/// <c>opencem report churn --label ...</c> trains a churn model version and scores every customer (what
/// <c>POST /api/v1/analytics/churn/train</c> does, in this process); <c>opencem report equity --by segment|touchpoint</c>
/// prints <c>GET /api/v1/analytics/equity</c>.
/// </summary>
internal static class ReportChurnCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var label = new Option<string>("--label") { Description = "What churn is: \"trait:NAME=VALUE\" (e.g. trait:Churn=Yes) or \"event:EVENT_NAME within DAYS\" (e.g. \"event:Contract Cancelled within 90\").", Required = true };
        var exclude = new Option<string[]>("--exclude") { Description = "A trait or feature never to use; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the model as JSON (as the API answers)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("churn", "Trains a churn model (boosted trees against a logistic baseline, judged on held-out customers), scores every customer and prints AUC, calibration and the important features.")
        {
            label, exclude, json, db, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (parsed, error) = ChurnLabel.Parse(parse.GetValue(label));
            if (parsed is null)
            {
                throw new CommandException("--label: " + error);
            }

            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var models = new ChurnModelStore(database, TimeProvider.System);
                var id = await models.CreateAsync(ws.Id, parsed.Text, parse.GetValue(exclude) ?? [], cancellationToken);
                var job = new ChurnJob(database, models, new IdentityService(database, TimeProvider.System), TimeProvider.System);
                await AnsiConsole.Status().StartAsync("Training and scoring ...", async _ =>
                    await job.RunAsync((await models.GetAsync(ws.Id, id, cancellationToken: cancellationToken))!, cancellationToken));
                var view = ChurnQuery.View((await models.GetAsync(ws.Id, id, cancellationToken: cancellationToken))!);
                if (view.Status != ChurnModelStatus.Ready)
                {
                    throw new CommandException(view.Error ?? "Training failed.");
                }

                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(view, Json));
                    return 0;
                }

                Console.WriteLine($"Model {view.ModelId} ({view.Trainer}): held-out AUC {view.Auc:0.000}, cross-validated AUC {view.CvAuc:0.000}; " +
                    $"logistic baseline {view.Baseline!.Auc:0.000} / {view.Baseline.CvAuc:0.000}; {view.N:N0} customers, {view.Positives:N0} churned, {view.HeldOut:N0} held out; {view.Scored:N0} scored.");
                var calibration = new Table().Border(TableBorder.Rounded).AddColumns("decile", "n", "mean predicted", "observed");
                foreach (var bin in view.Calibration!)
                {
                    calibration.AddRow(bin.Decile.ToString(CultureInfo.InvariantCulture), bin.N.ToString(CultureInfo.InvariantCulture), bin.MeanPredicted.ToString("0.000", CultureInfo.InvariantCulture), bin.ObservedRate.ToString("0.000", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(calibration);
                var features = new Table().Border(TableBorder.Rounded).AddColumns("feature", "importance (AUC lost when shuffled)");
                foreach (var feature in view.Features!.Take(15))
                {
                    features.AddRow(Markup.Escape(feature.Name), feature.Importance.ToString("0.0000", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(features);
                return 0;
            }
        }));
        return command;
    }

    public static Command CreateEquity()
    {
        var by = new Option<string>("--by") { Description = "segment or touchpoint.", DefaultValueFactory = _ => "segment" };
        var segment = new Option<string>("--segment") { Description = "lifecycle (default), tenure, loyalty or trait.NAME.", DefaultValueFactory = _ => "lifecycle" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (as the API answers)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("equity", "Customer equity and revenue at risk by segment, or what poor experiences cost per touchpoint (from the stored CLV and churn scores).")
        {
            by, segment, json, db, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var grouping = parse.GetValue(by);
            if (grouping is not ("segment" or "touchpoint"))
            {
                throw new CommandException($"--by: \"{grouping}\" is not a grouping of equity; use segment or touchpoint.");
            }

            if (!EquityQuery.IsSegment(parse.GetValue(segment)!))
            {
                throw new CommandException($"--segment: \"{parse.GetValue(segment)}\" is not a segment; use lifecycle, tenure, loyalty or trait.NAME.");
            }

            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var equity = new EquityQuery(database);
                if (grouping == "touchpoint")
                {
                    var view = await equity.ByTouchpointAsync(ws.Id, cancellationToken);
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(JsonSerializer.Serialize(view, Json));
                        return 0;
                    }

                    var table = new Table().Border(TableBorder.Rounded).AddColumns("touchpoint", "customers", "comparable", "churn +", "value +", "cost per year", "95 % interval");
                    foreach (var t in view.Touchpoints)
                    {
                        table.AddRow(Markup.Escape(t.Touchpoint), N(t.Customers), N(t.Comparable), t.ChurnDifference.ToString("0.000", CultureInfo.InvariantCulture),
                            Money(t.ValueDifference), Money(t.CostPerYear), t.Interval is { } i ? $"{Money(i.Low)} to {Money(i.High)}" : "");
                    }

                    AnsiConsole.Write(table);
                    Console.WriteLine($"Poor experience: {view.PoorExperience}; compared with {view.ComparedWithin}.");
                    return 0;
                }

                var segments = await equity.BySegmentAsync(ws.Id, parse.GetValue(segment)!, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(segments, Json));
                    return 0;
                }

                var rows = new Table().Border(TableBorder.Rounded).AddColumns("segment", "customers", "customer equity", "mean churn risk", "revenue at risk");
                foreach (var s in segments.Segments)
                {
                    rows.AddRow(Markup.Escape(s.Segment), N(s.Customers), Money(s.CustomerEquity), s.MeanChurnRisk?.ToString("0.000", CultureInfo.InvariantCulture) ?? "", Money(s.RevenueAtRisk));
                }

                AnsiConsole.Write(rows);
                Console.WriteLine($"Customer equity {Money(segments.CustomerEquity)}, revenue at risk {Money(segments.RevenueAtRisk)}.");
                return 0;
            }
        }));
        return command;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Money(double? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";
}
