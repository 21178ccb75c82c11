using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace OpenCem.Tests.Customers;

public sealed class PlantedSourcesTests(ITestOutputHelper output)
{
    private const int Persons = 5000;

    private static readonly Lazy<PlantedSourceSet> LazySample = new(() => PlantedSources.Generate(Persons, 11));

    private static readonly string[] Sources = ["crm", "billing", "webshop"];

    private static PlantedSourceSet Sample => LazySample.Value;

    [Fact]
    public void The_same_persons_and_seed_give_the_same_set_and_another_seed_does_not()
    {
        var first = PlantedSources.Generate(300, 3);
        var second = PlantedSources.Generate(300, 3);
        Assert.Equal(first.Records, second.Records);
        Assert.Equal(first.ExpectedProfile, second.ExpectedProfile);
        Assert.All(Sources, s => Assert.Equal(first.ToCsv(s), second.ToCsv(s)));
        Assert.NotEqual(first.ToCsv("crm"), PlantedSources.Generate(300, 4).ToCsv("crm"));
    }

    [Fact]
    public void Too_few_persons_to_plant_every_case_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlantedSources.Generate(PlantedSources.MinPersons - 1, 1));
        Assert.Throws<ArgumentException>(() => Sample.ToCsv("erp"));
    }

    [Fact]
    public void The_three_sources_are_present_in_the_planned_shares()
    {
        var bySource = Sample.Records.GroupBy(r => r.Source).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Assert.Equal(Sources.Order(StringComparer.Ordinal), bySource.Keys.Order(StringComparer.Ordinal));
        var shares = Sources.ToDictionary(s => s, s => bySource[s].Select(r => r.Person).Distinct().Count() / (double)Persons, StringComparer.Ordinal);
        output.WriteLine($"persons in crm {shares["crm"]:P1}, billing {shares["billing"]:P1}, webshop {shares["webshop"]:P1}; records per person {Sample.Records.Count / (double)Persons:F2}");
        Assert.InRange(shares["crm"], 0.8, 0.9);
        Assert.InRange(shares["billing"], 0.65, 0.75);
        Assert.InRange(shares["webshop"], 0.45, 0.55);

        Assert.All(bySource["crm"], r => Assert.Matches("^CRM-[0-9]+$", r.Id));
        Assert.All(bySource["crm"], r => Assert.Matches("^C-[0-9]{6}$", r.CustomerNumber!));
        Assert.All(bySource["billing"], r => Assert.Matches("^ *C-[0-9]{6} *$", r.CustomerNumber!));
        Assert.Contains(bySource["billing"], r => r.CustomerNumber != r.CustomerNumber!.Trim());
        Assert.All(bySource["webshop"], r => Assert.Equal("u-" + r.Id[2..], r.UserId));
        Assert.Equal(Sample.Records.Count, Sample.ExpectedProfile.Count);

        var crmPersons = bySource["crm"].Select(r => r.Person).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(bySource["webshop"], r => !crmPersons.Contains(r.Person));
        Assert.Contains(bySource["webshop"].GroupBy(r => r.Person), g => g.Count() == 2);
        Assert.All(Sample.Records, r => Assert.InRange(r.UpdatedAt.Year, 2024, 2026));
    }

    [Fact]
    public void Shared_values_straddle_the_ten_carrier_limit()
    {
        var emails = Carriers(r => ReferenceResolution.NormaliseEmail(r.Email));
        var phones = Carriers(r => ReferenceResolution.NormalisePhone(r.Phone));
        Assert.Contains(emails, e => e.Value.Count > 10);
        Assert.Contains(phones, p => p.Value.Count > 10);

        // Over the limit nothing joins: each carrier stays in its own person's profile (or alone).
        foreach (var carriers in emails.Values.Concat(phones.Values).Where(c => c.Count > ReferenceResolution.MaxCarriers))
        {
            Assert.Equal(carriers.Count, carriers.Select(Profile).Distinct().Count());
        }

        // At the limit the value still joins, here ten prospects who typed the same junk address.
        var atLimit = Assert.Single(emails, e => e.Value.Count == ReferenceResolution.MaxCarriers).Value;
        Assert.Single(atLimit.Select(Profile).Distinct());
        Assert.Equal(10, atLimit.Select(r => r.Person).Distinct().Count());
    }

    [Fact]
    public void Family_emails_link_crm_records_with_different_customer_numbers_which_stay_apart()
    {
        var families = Carriers(r => ReferenceResolution.NormaliseEmail(r.Email))
            .Values
            .Where(c => c.Count == 2 && c.All(r => r.Source == "crm") && c[0].CustomerNumber != c[1].CustomerNumber)
            .ToList();
        Assert.True(families.Count >= 2, $"{families.Count} family pairs");
        Assert.All(families, pair => Assert.NotEqual(Profile(pair[0]), Profile(pair[1])));
    }

    [Fact]
    public void The_rule_truth_does_not_depend_on_the_order_of_joins()
    {
        var forward = ReferenceResolution.Resolve(Sample.Records);
        var backward = ReferenceResolution.Resolve(Sample.Records, reverse: true);
        var pairs = forward.Zip(backward).Distinct().ToList();
        Assert.Equal(forward.Distinct().Count(), pairs.Count);
        Assert.Equal(backward.Distinct().Count(), pairs.Count);
    }

    [Fact]
    public void The_rule_truth_is_the_person_truth_for_nearly_all_persons()
    {
        var profilesOfPerson = Sample.Records.GroupBy(r => r.Person).ToDictionary(g => g.Key, g => g.Select(Profile).Distinct().ToList(), StringComparer.Ordinal);
        var personsOfProfile = Sample.Records.GroupBy(Profile).ToDictionary(g => g.Key, g => g.Select(r => r.Person).Distinct().Count(), StringComparer.Ordinal);
        var exact = profilesOfPerson.Values.Count(p => p.Count == 1 && personsOfProfile[p[0]] == 1);
        output.WriteLine($"{exact} of {profilesOfPerson.Count} persons are exactly one profile");
        Assert.True(exact >= 0.97 * profilesOfPerson.Count, $"{exact} of {profilesOfPerson.Count}");
    }

    [Fact]
    public void Csv_round_trips_through_rfc_4180_quoting()
    {
        foreach (var source in Sources)
        {
            var csv = Sample.ToCsv(source);
            var rows = ParseCsv(csv);
            Assert.Equal(["id", "email", "phone", "customer_number", "user_id", "name", "plan", "city", "updated_at"], rows[0]);
            var records = Sample.Records.Where(r => r.Source == source).ToList();
            Assert.Equal(records.Count, rows.Count - 1);
            for (var i = 0; i < records.Count; i++)
            {
                var r = records[i];
                Assert.Equal(
                    [r.Id, r.Email, r.Phone, r.CustomerNumber, r.UserId, r.Name, r.Plan, r.City, r.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)],
                    rows[i + 1]);
            }
        }

        var crm = Sample.ToCsv("crm");
        Assert.Contains("\"O'Brien, ", crm, StringComparison.Ordinal);
        Assert.Contains("\"\"Hans\"\"", crm, StringComparison.Ordinal);
        Assert.Contains(",\" C-", Sample.ToCsv("billing"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndjson_has_one_object_per_record_without_null_fields()
    {
        var lines = Sample.ToNdjson("webshop").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = Sample.Records.Where(r => r.Source == "webshop").ToList();
        Assert.Equal(records.Count, lines.Length);
        for (var i = 0; i < records.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(records[i].Id, root.GetProperty("id").GetString());
            Assert.Equal(records[i].UserId, root.GetProperty("identifiers").GetProperty("userId").GetString());
            Assert.Equal(records[i].Name, root.GetProperty("name").GetString());
            Assert.Equal(records[i].Email, root.TryGetProperty("email", out var email) ? email.GetString() : null);
            Assert.Equal(records[i].Phone, root.TryGetProperty("phone", out var phone) ? phone.GetString() : null);
            Assert.False(root.TryGetProperty("customerNumber", out _));
            Assert.False(root.TryGetProperty("plan", out _));
            Assert.Equal(records[i].UpdatedAt, root.GetProperty("updatedAt").GetDateTimeOffset());
        }

        var crm = Sample.ToNdjson("crm");
        Assert.Contains("\"customerNumber\":\"C-", crm, StringComparison.Ordinal);
        Assert.Contains("Müller", crm, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reference_normalises_the_formats_of_the_rules()
    {
        Assert.All(
            new[] { "030 1234567", "+49 30 1234567", "0049 30 1234567", "+49 (0)30 123 4567", "030/1234567" },
            p => Assert.Equal("+49301234567", ReferenceResolution.NormalisePhone(p)));
        Assert.Equal("+41791234567", ReferenceResolution.NormalisePhone("+41 79 123 45 67"));
        Assert.Equal("anna.mueller@web.de", ReferenceResolution.NormaliseEmail("  Anna.Mueller@WEB.de "));
        Assert.All(
            new[] { "anna.mueller7@gmail.com", "AnnaMueller7+shop@googlemail.com", " anna.mueller.7@GMAIL.com" },
            e => Assert.Equal("annamueller7@gmail.com", ReferenceResolution.NormaliseEmail(e)));
        Assert.Equal("C-100234", ReferenceResolution.NormaliseCustomerNumber(" C-100234 "));
    }

    private static string Profile(PlantedRecord r) => Sample.ExpectedProfile[(r.Source, r.Id)];

    private static Dictionary<string, List<PlantedRecord>> Carriers(Func<PlantedRecord, string?> value) =>
        Sample.Records
            .Select(r => (Record: r, Value: value(r)))
            .Where(x => x.Value is not null)
            .GroupBy(x => x.Value!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Record).ToList(), StringComparer.Ordinal);

    /// <summary>A strict RFC 4180 reader; an unquoted empty field is null.</summary>
    private static List<List<string?>> ParseCsv(string csv)
    {
        var rows = new List<List<string?>>();
        var row = new List<string?>();
        var field = new StringBuilder();
        var inQuotes = false;
        var wasQuoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (inQuotes)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                Assert.Equal(0, field.Length);
                inQuotes = wasQuoted = true;
            }
            else if (c is ',' or '\n')
            {
                row.Add(field.Length == 0 && !wasQuoted ? null : field.ToString());
                field.Clear();
                wasQuoted = false;
                if (c == '\n')
                {
                    rows.Add(row);
                    row = [];
                }
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.Empty(row);
        return rows;
    }
}
