using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenCem.Analytics.Journeys;
using OpenCem.Customers.Personas;
using OpenCem.Interactions;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary><c>opencem personas run [--k N] [--seed S]</c>: clusters the customers into personas, publishes the run and prints the profiles (what <c>POST /api/v1/personas</c> does, in this process).</summary>
internal static class PersonasCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var k = new Option<int?>("--k") { Description = $"The number of personas (2-{PersonasApi.MaxK}); without it chosen by silhouette over {PersonaClustering.MinK}-{PersonaClustering.MaxK}." };
        var seed = new Option<int?>("--seed") { Description = $"The clustering seed (default {PersonaRunner.DefaultSeed}); the same seed and data give the same personas." };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON (as the API answers)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var run = new Command("run", "Clusters customers on behaviour and attitude into personas, publishes them as the trait 'persona' and prints their profiles.")
        {
            k, seed, json, db, workspace,
        };
        run.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            if (parse.GetValue(k) is { } kValue && kValue is < 2 or > PersonasApi.MaxK)
            {
                throw new CommandException($"--k: must lie between 2 and {PersonasApi.MaxK}.");
            }

            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var runner = new PersonaRunner(database, TimeProvider.System);
                PersonaRunResult? result = null;
                await AnsiConsole.Status().StartAsync("Reading features and clustering ...", async _ =>
                    result = await runner.RunAsync(ws.Id, parse.GetValue(k), parse.GetValue(seed), publish: true, cancellationToken));
                if (result!.Run.Status != PersonaRunStatus.Ready)
                {
                    throw new CommandException(result.Run.Error ?? "The run failed.");
                }

                var query = new PersonaQuery(database, new JourneyQuery(database, new CatalogueStore(database, TimeProvider.System), new JourneyOptions()), new CatalogueStore(database, TimeProvider.System));
                var view = (await query.RunAsync(ws.Id, result.RunId, cancellationToken))!;
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(view, Json));
                    return 0;
                }

                var t = result.Timings;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Run {view.Id}: {view.K} personas over {view.Customers:N0} customers, silhouette {view.Silhouette:0.000}, seed {view.Seed}; " +
                    $"features {t.ReadFeatures} ms, clustering {t.Cluster} ms, assignments {t.SaveAssignments} ms, profiles {t.Profiles} ms, publishing {t.Publish} ms."));
                foreach (var persona in view.Personas)
                {
                    Print(persona);
                }

                return 0;
            }
        }));
        return new Command("personas", "Personas from data: clustering runs and their profiles.") { run };
    }

    private static void Print(PersonaView persona)
    {
        var p = persona.Profile;
        var inv = CultureInfo.InvariantCulture;
        AnsiConsole.Write(new Rule(Markup.Escape($"{p.Key} (id {persona.Id}): {p.Name.En} / {p.Name.De}")).LeftJustified());
        Console.WriteLine(string.Create(inv, $"  {p.Size:N0} customers ({p.Share:P1}), {p.ValueShare:P1} of the value."));
        Console.WriteLine("  Separating: " + string.Join("; ", p.Separating.Select(f => string.Create(inv, $"{f.Feature} {f.Value:0.##} vs {f.Overall:0.##} (z {f.Z:+0.0;-0.0})"))));
        Console.WriteLine("  Channels: " + string.Join(", ", p.Channels.Where(c => c.Share > 0).Select(c => string.Create(inv, $"{c.Channel} {c.Share:P0}"))));
        Console.WriteLine("  Touchpoints: " + string.Join(", ", p.Touchpoints.Select(tp => tp.Name)));
        Console.WriteLine("  Delights: " + string.Join(", ", p.Delights.Select(d => d.Theme)) + "; pains: " + string.Join(", ", p.Pains.Select(d => d.Theme)));
        foreach (var comment in p.Comments)
        {
            Console.WriteLine($"  \"{comment.Text}\"");
        }
    }
}
