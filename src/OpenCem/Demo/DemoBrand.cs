using OpenCem.Storage;
using OpenCem.Text.Brand;

namespace OpenCem.Demo;

/// <summary>
/// Truth 16's other half: the demo company means to be simple, reliable and fairly priced; its customers' words
/// (<see cref="DemoBrandVoice"/>) confirm "simple" and contradict "reliable".
/// </summary>
internal static class DemoBrand
{
    public static readonly IReadOnlyList<BrandValue> Values =
    [
        new("simple", new Dictionary<string, string> { ["en"] = "Simple", ["de"] = "Einfach" }, "Easy to understand and easy to deal with, in every channel.",
            ["simple", "easy", "uncomplicated", "straightforward", "intuitive", "einfach", "unkompliziert", "intuitiv"],
            ["complicated", "confusing", "cumbersome", "kompliziert", "verwirrend", "umständlich"]),
        new("reliable", new Dictionary<string, string> { ["en"] = "Reliable", ["de"] = "Zuverlässig" }, "The network and the service work, every day.",
            ["reliable", "dependable", "zuverlässig", "verlässlich"],
            ["unreliable", "unstable", "patchy", "unzuverlässig", "instabil", "wackelig"]),
        new("fair-price", new Dictionary<string, string> { ["en"] = "Fair price", ["de"] = "Fairer Preis" }, "Customers pay a fair price for what they get.",
            ["fair price", "fair", "good value", "affordable", "fairer Preis", "preiswert", "Preis-Leistung"],
            ["expensive", "overpriced", "rip-off", "teuer", "überteuert", "Abzocke"]),
    ];

    public static Task LoadAsync(Database database, TimeProvider time, long workspaceId, CancellationToken cancellationToken) =>
        new BrandValueStore(database, time).ReplaceAsync(workspaceId, Values, cancellationToken);
}
