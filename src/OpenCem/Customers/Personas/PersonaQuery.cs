using System.Text.Json;
using OpenCem.Analytics.Journeys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Customers.Personas;

public sealed record PersonaView(long Id, long RunId, int Number, string Key, BilingualText Name, long Size, double Share, double ValueShare, bool Current, PersonaProfile Profile);

public sealed record PersonaRunView(
    long Id, string Status, int? K, int Seed, long Customers, double? Silhouette, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    DateTimeOffset? PublishedAt, bool Current, string? Error, IReadOnlyList<PersonaView> Personas);

/// <summary>A persona's scenario: per journey its members went through, the paths they took and their emotion curve.</summary>
public sealed record PersonaScenarioView(PersonaView Persona, string Filter, IReadOnlyList<JourneyAnalyticsView> Journeys);

/// <summary>Reads runs, personas and scenarios for the API, the CLI and the dashboard.</summary>
public sealed class PersonaQuery(Database database, JourneyQuery journeys, CatalogueStore catalogue)
{
    private readonly PersonaStore _store = new(database);

    public async Task<PersonaRunView?> CurrentAsync(long ws, CancellationToken cancellationToken = default) =>
        await _store.CurrentRunAsync(ws, cancellationToken) is { } run ? await ViewAsync(ws, run, run.Id, cancellationToken) : null;

    public async Task<PersonaRunView?> RunAsync(long ws, long runId, CancellationToken cancellationToken = default)
    {
        if (await _store.RunAsync(ws, runId, cancellationToken) is not { } run)
        {
            return null;
        }

        var current = await _store.CurrentRunAsync(ws, cancellationToken);
        return await ViewAsync(ws, run, current?.Id, cancellationToken);
    }

    public async Task<PersonaView?> PersonaAsync(long ws, long id, CancellationToken cancellationToken = default)
    {
        if (await _store.PersonaAsync(ws, id, cancellationToken) is not { } row)
        {
            return null;
        }

        var current = await _store.CurrentRunAsync(ws, cancellationToken);
        return View(row, current?.Id == row.RunId);
    }

    /// <summary>The scenario of a persona of the current run (the trait follows the current run only), else null.</summary>
    public async Task<PersonaScenarioView?> ScenarioAsync(long ws, PersonaView persona, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        if (!persona.Current)
        {
            return null;
        }

        var filter = new AnalyticsFilter("trait." + PersonaStore.Trait, persona.Key);
        var views = new List<JourneyAnalyticsView>();
        foreach (var journey in await catalogue.ListJourneysAsync(ws, cancellationToken))
        {
            var view = await journeys.GetAsync(ws, journey, new JourneyQueryOptions(from, to, [filter]), cancellationToken);
            if (view.Instances > 0)
            {
                views.Add(view);
            }
        }

        return new PersonaScenarioView(persona, filter.Text, views.OrderByDescending(v => v.Instances).ThenBy(v => v.Journey, StringComparer.Ordinal).ToList());
    }

    private async Task<PersonaRunView> ViewAsync(long ws, PersonaRunRow run, long? currentId, CancellationToken cancellationToken)
    {
        var current = run.Id == currentId;
        var personas = (await _store.PersonasAsync(ws, run.Id, cancellationToken)).Select(p => View(p, current)).ToList();
        return new PersonaRunView(
            run.Id, run.Status, run.K, run.Seed, run.Customers, run.Silhouette, DateTimeOffset.FromUnixTimeMilliseconds(run.CreatedAt),
            Time(run.FinishedAt), Time(run.PublishedAt), current, run.Error, personas);
    }

    private static PersonaView View(PersonaRow row, bool current)
    {
        var profile = JsonSerializer.Deserialize<PersonaProfile>(row.Profile, PersonaStore.Json)!;
        return new PersonaView(row.Id, row.RunId, row.Number, profile.Key, profile.Name, profile.Size, profile.Share, profile.ValueShare, current, profile);
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
