using OpenCem.Analytics.Drivers;
using OpenCem.Analytics.Journeys;
using OpenCem.Dashboard.Components;
using OpenCem.Interactions;

namespace OpenCem.Dashboard.Journeys;

/// <summary>The Journeys page's data: the journeys to pick from, the one shown and its analytics, or why there are none.</summary>
public sealed record JourneysPageData(IReadOnlyList<Journey> Journeys, Journey? Journey, JourneyAnalyticsView? Analytics, string? Problem);

/// <summary>Reads a journey's funnel, paths and emotion curve through the same service as <c>/api/v1/analytics/journeys/{id}</c> (rollups).</summary>
public sealed class JourneysPageReport(JourneyQuery journeys, CatalogueStore catalogue, TimeProvider time)
{
    public const int TopPaths = 10;

    public async Task<JourneysPageData> ReadAsync(long workspaceId, DashboardFilters filters, string? journeyKey, CancellationToken cancellationToken = default)
    {
        var all = await catalogue.ListJourneysAsync(workspaceId, cancellationToken);
        var journey = all.FirstOrDefault(j => j.Key == journeyKey) ?? all.FirstOrDefault();
        if (journey is null)
        {
            return new JourneysPageData(all, null, null, null);
        }

        var (options, problem) = Options(filters, time.GetUtcNow());
        if (options is null)
        {
            return new JourneysPageData(all, journey, null, problem);
        }

        return new JourneysPageData(all, journey, await journeys.GetAsync(workspaceId, journey, options, cancellationToken), null);
    }

    /// <summary>
    /// The query for the page's period, channel and trait (a journey has no survey or segment filter); the trait name
    /// is checked like the analytics API's <c>filter=trait.NAME:VALUE</c>.
    /// </summary>
    public static (JourneyQueryOptions? Options, string? Problem) Options(DashboardFilters filters, DateTimeOffset now)
    {
        var (from, to) = filters.Window(now);
        var list = new List<AnalyticsFilter>();
        if (filters.Channel is { } channel)
        {
            list.Add(new AnalyticsFilter("channel", channel));
        }

        if (filters.TraitName is { } trait && filters.TraitValue is { } value)
        {
            if (ResponseFilters.Parse([$"trait.{trait}:{value}"]).Problem is { } problem)
            {
                return (null, problem);
            }

            list.Add(new AnalyticsFilter("trait." + trait, value));
        }

        return (new JourneyQueryOptions(DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), list, TopPaths), null);
    }
}
