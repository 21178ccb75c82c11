using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenCem.Demo;

/// <summary>
/// The demo company's three source systems, each holding its own piece of the customer: the CRM (customer number,
/// name, contact details, language, preferred channel, consent), billing (account, plan, fee, payment) and the web
/// shop (login = the tracking userId, e-mail in the customer's own spelling, newsletter opt-in), plus web-shop
/// accounts of prospects who never bought. Spellings differ between systems on purpose (case, <c>+tags</c>, phone
/// formats, padded customer numbers), and two traps are planted (see <see cref="DemoTruths"/>): a shop counter
/// e-mail on in-store accounts, and family e-mails shared by two CRM customers with different customer numbers.
/// </summary>
public static class DemoSources
{
    public const string Crm = "crm";
    public const string Billing = "billing";
    public const string Webshop = "webshop";

    /// <summary>The records of each source, as the systems would export them.</summary>
    public static Dictionary<string, List<JsonObject>> Records(DemoOptions options, IReadOnlyList<DemoCustomerProfile> customers)
    {
        var rng = new Random(options.Seed ^ 0x5EED);
        var asOf = options.ResolveAsOf();
        var crm = new List<JsonObject>();
        var billing = new List<JsonObject>();
        var webshop = new List<JsonObject>();
        foreach (var c in customers)
        {
            var familyEmail = FamilyEmail(c.Index, customers);
            var updated = Time(asOf.AddDays(-rng.Next(1, 400)));
            crm.Add(new JsonObject
            {
                ["id"] = Invariant($"CRM-{c.Index + 1}"),
                ["customerNumber"] = c.CustomerNumber,
                ["name"] = c.Name,
                ["email"] = familyEmail ?? (rng.NextDouble() < 0.2 ? c.Email.ToUpperInvariant() : c.Email),
                ["phone"] = NationalSpelling(c.Phone, c.Country),
                ["language"] = c.Language,
                ["preferredChannel"] = Pick(rng, "email", "phone", "app", "sms"),
                ["consent"] = new JsonObject { ["email"] = rng.NextDouble() < 0.8, ["surveys"] = rng.NextDouble() < 0.7, ["phone"] = rng.NextDouble() < 0.4 },
                ["region"] = c.Region,
                ["country"] = c.Country,
                ["customerSince"] = c.CustomerSince.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["status"] = c.Active ? "active" : "cancelled",
                ["updatedAt"] = updated,
            });

            var account = new JsonObject
            {
                ["id"] = Invariant($"ACC-{500_000 + c.Index}"),
                ["customerNumber"] = rng.NextDouble() < 0.5 ? " " + c.CustomerNumber + " " : c.CustomerNumber,
                ["plan"] = c.Plan,
                ["monthlyFee"] = c.MonthlyFee,
                ["currency"] = c.Country == "CH" ? "CHF" : "EUR",
                ["paymentMethod"] = Pick(rng, "SEPA direct debit", "SEPA direct debit", "credit card", "invoice"),
                ["updatedAt"] = Time(asOf.AddDays(-rng.Next(1, 40))),
            };
            if (rng.NextDouble() < 0.5)
            {
                account["phone"] = c.Phone.Replace(" ", "", StringComparison.Ordinal);
            }

            billing.Add(account);

            if (rng.NextDouble() < DemoTruths.WebshopShare)
            {
                // The first dozen in-store accounts make sure the counter address is shared beyond the guard in any demo size.
                var inStore = webshop.Count < 12 || rng.NextDouble() < DemoTruths.InStoreAccountShare;
                webshop.Add(new JsonObject
                {
                    ["id"] = Invariant($"shop-{c.Index + 1}"),
                    ["identifiers"] = new JsonObject { ["userId"] = c.UserId },
                    ["email"] = inStore ? DemoTruths.ShopCounterEmail : ShopSpelling(c.Email, rng),
                    ["newsletterOptIn"] = rng.NextDouble() < 0.35,
                    ["updatedAt"] = Time(asOf.AddDays(-rng.Next(1, 200))),
                });
            }
        }

        for (var p = 0; p < Prospects(options); p++)
        {
            var name = Invariant($"Prospect {p + 1}");
            webshop.Add(new JsonObject
            {
                ["id"] = Invariant($"shop-p{p + 1}"),
                ["email"] = Invariant($"prospect.{p + 1}@example.com"),
                ["name"] = name,
                ["newsletterOptIn"] = rng.NextDouble() < 0.6,
                ["updatedAt"] = Time(asOf.AddDays(-rng.Next(1, 700))),
            });
        }

        return new Dictionary<string, List<JsonObject>> { [Crm] = crm, [Billing] = billing, [Webshop] = webshop };
    }

    /// <summary>Web-shop accounts of people who never became customers.</summary>
    public static int Prospects(DemoOptions options) => options.Customers / 10;

    /// <summary>The shared family address of a planted pair, for both members; null for everyone else.</summary>
    public static string? FamilyEmail(int index, IReadOnlyList<DemoCustomerProfile> customers)
    {
        var first = index - (index % 2);
        if (first % DemoTruths.FamilyPairEvery != 0 || first + 1 >= customers.Count)
        {
            return null;
        }

        var last = customers[first].Name.Split(' ')[^1].ToLowerInvariant();
        return Invariant($"familie.{Ascii(last)}.{first}@example.net");
    }

    /// <summary>Customers type their address into the shop as they like: some in capitals, some with spaces around.</summary>
    private static string ShopSpelling(string email, Random rng) => rng.Next(10) switch
    {
        0 or 1 => email.ToUpperInvariant(),
        2 => " " + email + " ",
        _ => email,
    };

    /// <summary>German numbers as a German clerk types them (0151 …); others stay international.</summary>
    private static string NationalSpelling(string phone, string country) =>
        country == "DE" && phone.StartsWith("+49 ", StringComparison.Ordinal) ? "0" + phone[4..] : phone;

    private static string Ascii(string text) => new(text.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray());

    private static string Pick(Random rng, params string[] values) => values[rng.Next(values.Length)];

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
