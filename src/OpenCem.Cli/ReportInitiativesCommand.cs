using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCem.Analytics.Metrics;
using OpenCem.Organisation.Initiatives;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary><c>opencem report initiatives [--id ID]</c>: each initiative's KPIs before and after, the change, the comparison and the verdict.</summary>
internal static class ReportInitiativesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create()
    {
        var id = new Option<long?>("--id") { Description = "One initiative (default: all)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var json = new Option<bool>("--json") { Description = "Print the effects as JSON, as GET /api/v1/initiatives/{id}/effect gives them." };
        var command = new Command("initiatives", "Improvement initiatives and their measured effect: each KPI before and after realisation, the change with its 95 % interval, the comparison touchpoints, the difference-in-differences and the verdict.")
        {
            id, db, workspace, json,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                await MetricRollup.RebuildPendingAsync(database, cancellationToken);
                var store = new InitiativeStore(database, TimeProvider.System);
                var effects = new InitiativeEffects(store, KpiMeasurer.Create(database, TimeProvider.System), TimeProvider.System);
                var ids = parse.GetValue(id) is { } one ? [one] : (await store.ListAsync(ws.Id, null, cancellationToken)).Select(i => i.Id).ToList();
                var results = new List<InitiativeEffect>();
                foreach (var initiative in ids)
                {
                    results.Add(await effects.MeasureAsync(ws.Id, initiative, cancellationToken) ?? throw new CommandException($"There is no initiative with the id {initiative}."));
                }

                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(results, Json));
                    return 0;
                }

                if (results.Count == 0)
                {
                    Console.WriteLine("No initiatives yet (POST /api/v1/initiatives).");
                }

                results.ForEach(Print);
                Console.WriteLine("Changes are after - before with the 95 % interval; * marks a significant one.");
                return 0;
            }
        }));
        return command;
    }

    private static void Print(InitiativeEffect effect)
    {
        var c = CultureInfo.InvariantCulture;
        var windows = effect.Before is { } before && effect.After is { } after
            ? string.Create(c, $"before {before.From:yyyy-MM-dd}..{before.To.AddDays(-1):yyyy-MM-dd}, after {after.From:yyyy-MM-dd}..{after.To.AddDays(-1):yyyy-MM-dd}")
            : "not in realisation yet";
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"#{effect.InitiativeId} {effect.Name} ({effect.Phase}; {windows}; minimum n {effect.MinimumN})"));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("KPI", "before (n)", "after (n)", "change", "comparison", "diff-in-diff", "verdict");
        var notes = new List<string>();
        foreach (var (kpi, i) in effect.Kpis.Select((k, i) => (k, i + 1)))
        {
            table.AddRow(
                Markup.Escape($"{i}. {kpi.Kind}{(kpi.Measure is null ? "" : " " + kpi.Measure)} {(kpi.Direction == KpiDirections.Increase ? "↑" : "↓")}"),
                Markup.Escape(Value(kpi.Before)), Markup.Escape(Value(kpi.After)), Markup.Escape(Change(kpi.Difference)),
                kpi.ComparisonBefore is null && kpi.ComparisonAfter is null ? "-" : Markup.Escape($"{Value(kpi.ComparisonBefore)} → {Value(kpi.ComparisonAfter)}"),
                Markup.Escape(Change(kpi.DifferenceInDifferences)), Markup.Escape(kpi.Verdict));
            if (kpi.Note is not null)
            {
                notes.Add($"  {i}. {kpi.Note}");
            }
        }

        AnsiConsole.Write(table);
        notes.ForEach(Console.WriteLine);
    }

    private static string Value(EffectValue? value) =>
        value is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{value.Value:0.##} ({value.N:N0})");

    private static string Change(EffectChange? change) =>
        change is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{change.Value:+0.##;-0.##;0} [{change.Low:0.##}, {change.High:0.##}]{(change.Significant ? " *" : "")}");
}
