using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenCem.Tests.Customers;

/// <summary>
/// One customer record as a source system exports it. <see cref="Person"/> is the person truth: the planted
/// human the record was generated for. It is never an input to resolution.
/// </summary>
public sealed record PlantedRecord(
    string Source,
    string Id,
    string? Email,
    string? Phone,
    string? CustomerNumber,
    string? UserId,
    string Name,
    string? Plan,
    string? City,
    DateTimeOffset UpdatedAt,
    string Person);

/// <summary>Generated records of the three sources with the profiles the resolution rules must produce.</summary>
public sealed class PlantedSourceSet
{
    private static readonly SearchValues<char> CsvSpecial = SearchValues.Create(",\"\r\n");

    internal PlantedSourceSet(IReadOnlyList<PlantedRecord> records, IReadOnlyDictionary<(string Source, string Id), string> expectedProfile)
    {
        Records = records;
        ExpectedProfile = expectedProfile;
    }

    /// <summary>All records: crm, then billing, then webshop, each in id order.</summary>
    public IReadOnlyList<PlantedRecord> Records { get; }

    /// <summary>
    /// Expected profile key for each (Source, Id): records with equal keys must end up in one profile, others
    /// must not. This is the rule truth (see <see cref="ReferenceResolution"/>), not the person truth: a
    /// planted person whose records share no usable identifier is expected split, and the webshop records
    /// sharing the at-limit junk e-mail are expected merged. A key is "source:id" of the profile's first record.
    /// </summary>
    public IReadOnlyDictionary<(string Source, string Id), string> ExpectedProfile { get; }

    /// <summary>
    /// The source's records as CSV with a header line, lines ending in \n. Fields with a comma, quote or line
    /// break are quoted (RFC 4180), and so are fields with surrounding white space, which readers often trim.
    /// Null is an empty field.
    /// </summary>
    public string ToCsv(string source)
    {
        var rows = Of(source);
        var csv = new StringBuilder(128 * (rows.Count + 1));
        csv.Append("id,email,phone,customer_number,user_id,name,plan,city,updated_at\n");
        foreach (var r in rows)
        {
            AppendField(csv, r.Id).Append(',');
            AppendField(csv, r.Email).Append(',');
            AppendField(csv, r.Phone).Append(',');
            AppendField(csv, r.CustomerNumber).Append(',');
            AppendField(csv, r.UserId).Append(',');
            AppendField(csv, r.Name).Append(',');
            AppendField(csv, r.Plan).Append(',');
            AppendField(csv, r.City).Append(',');
            csv.Append(r.UpdatedAt.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The source's records as one JSON object per line; null fields are left out.</summary>
    public string ToNdjson(string source)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // The relaxed encoder keeps umlauts, apostrophes and the "+" of phone numbers readable; quotes are still escaped.
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var r in Of(source))
        {
            json.WriteStartObject();
            json.WriteString("id", r.Id);
            WriteIfPresent(json, "email", r.Email);
            WriteIfPresent(json, "phone", r.Phone);
            WriteIfPresent(json, "customerNumber", r.CustomerNumber);
            if (r.UserId is not null)
            {
                json.WriteStartObject("identifiers");
                json.WriteString("userId", r.UserId);
                json.WriteEndObject();
            }

            json.WriteString("name", r.Name);
            WriteIfPresent(json, "plan", r.Plan);
            WriteIfPresent(json, "city", r.City);
            json.WriteString("updatedAt", r.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.Flush();
            buffer.Write("\n"u8);
            // Reset lets the writer start the next line's object as a new top-level value.
            json.Reset();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private List<PlantedRecord> Of(string source)
    {
        if (ReferenceResolution.SourceIndex(source) < 0)
        {
            throw new ArgumentException($"Unknown source '{source}'; expected crm, billing or webshop.", nameof(source));
        }

        return [.. Records.Where(r => r.Source == source)];
    }

    private static StringBuilder AppendField(StringBuilder csv, string? value)
    {
        if (value is null)
        {
            return csv;
        }

        var quote = value.AsSpan().ContainsAny(CsvSpecial)
            || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
        return quote
            ? csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
            : csv.Append(value);
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}

/// <summary>
/// Deterministic crm, billing and webshop records of planted persons, with traps for identity resolution:
/// e-mail and phone variants, customer numbers in stray white space, a shop counter e-mail and a hotline
/// number typed in for many customers (Guard 1), family e-mails shared by two crm customers (Guard 2),
/// second webshop accounts that share only the phone, and webshop-only prospects.
/// The person truth (<see cref="PlantedRecord.Person"/>) and the rule truth
/// (<see cref="PlantedSourceSet.ExpectedProfile"/>) differ only where a planted case makes them: the ten
/// prospects sharing the at-limit junk e-mail form one profile, and a person stays split when a shop e-mail,
/// a hotline number or a family e-mail replaced the only identifier that linked one of its records.
/// </summary>
public static class PlantedSources
{
    /// <summary>Below this there are too few persons to plant every case on distinct persons.</summary>
    internal const int MinPersons = 100;

    /// <summary>Customer numbers have six digits; phone subscriber numbers stay unique up to a million per prefix.</summary>
    internal const int MaxPersons = 900_000;

    /// <summary>Persons (P000001 ...) and their records; the same (persons, seed) always gives the same set.</summary>
    public static PlantedSourceSet Generate(int persons, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(persons, MinPersons);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(persons, MaxPersons);
        return new Generator(persons, seed).Run();
    }

    private enum Plant
    {
        None,
        ShopEmailOnCrm,
        ShopEmailOnWebshop,
        HotlineOnCrm,
        HotlineOnWebshop,
        Family,
        JunkAtLimit,
        JunkOverLimit,
    }

    private readonly record struct City(string Name, string Country, string? Area, int SubscriberDigits, int Weight);

    /// <summary>A phone number as country code, area (without trunk 0) and subscriber number; written many ways.</summary>
    private readonly record struct PhoneNumber(string CountryCode, string Area, string Subscriber)
    {
        public int FormatCount => CountryCode == "49" ? 8 : 3;

        // German numbers come in the national and international forms people type; Austrian and Swiss ones
        // always carry their country code, since with default region DE a national form would mean Germany.
        public string Format(int variant) => CountryCode == "49"
            ? variant switch
            {
                0 => $"+49 {Area} {Subscriber}",
                1 => $"0{Area} {Subscriber}",
                2 => $"0049 {Area} {Subscriber}",
                3 => $"+49 (0){Area} {Grouped()}",
                4 => $"0{Area}/{Subscriber}",
                5 => $"+49{Area}{Subscriber}",
                6 => $"0{Area} {Grouped()}",
                _ => $"0{Area}-{Subscriber}",
            }
            : variant switch
            {
                0 => $"+{CountryCode} {Area} {Subscriber}",
                1 => $"+{CountryCode}{Area}{Subscriber}",
                _ => $"+{CountryCode} {Area} {Grouped()}",
            };

        private string Grouped() => CountryCode == "41" && Subscriber.Length == 7
            ? $"{Subscriber[..3]} {Subscriber[3..5]} {Subscriber[5..]}"
            : $"{Subscriber[..(Subscriber.Length - 4)]} {Subscriber[^4..]}";
    }

    private sealed class Generator(int persons, int seed)
    {
        private const string CompanyDomain = "opencem.example";
        private const string JunkAtLimit = "test@example.com";
        private const string JunkOverLimit = "noreply@example.com";
        private const int SharedCarriers = 25;

        private static readonly DateTimeOffset UpdatedFrom = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly long UpdatedSpanSeconds = (long)(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero) - UpdatedFrom).TotalSeconds;

        private static readonly (string Display, string Ascii)[] FirstNames =
        [
            ("Anna", "anna"), ("Lena", "lena"), ("Sophie", "sophie"), ("Marie", "marie"), ("Laura", "laura"),
            ("Hannah", "hannah"), ("Katharina", "katharina"), ("Elif", "elif"), ("Özlem", "oezlem"), ("Zoë", "zoe"),
            ("Chloé", "chloe"), ("Anne-Marie", "anne-marie"), ("Lukas", "lukas"), ("Jonas", "jonas"), ("Felix", "felix"),
            ("Maximilian", "maximilian"), ("Paul", "paul"), ("Thomas", "thomas"), ("Stefan", "stefan"), ("Niklas", "niklas"),
            ("Mehmet", "mehmet"), ("Jürgen", "juergen"), ("Björn", "bjoern"), ("Sören", "soeren"), ("Seán", "sean"),
            ("Johann \"Hans\"", "johann"),
        ];

        private static readonly (string Display, string Ascii)[] LastNames =
        [
            ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"), ("Fischer", "fischer"),
            ("Weber", "weber"), ("Meyer", "meyer"), ("Wagner", "wagner"), ("Becker", "becker"), ("Hoffmann", "hoffmann"),
            ("Schröder", "schroeder"), ("Krüger", "krueger"), ("Jäger", "jaeger"), ("Weiß", "weiss"), ("Groß", "gross"),
            ("Huber", "huber"), ("Gruber", "gruber"), ("Steiner", "steiner"), ("Brunner", "brunner"), ("Keller", "keller"),
            ("O'Brien", "obrien"), ("D'Angelo", "dangelo"), ("Dell'Acqua", "dellacqua"), ("Yılmaz", "yilmaz"),
            ("Öztürk", "oeztuerk"), ("Nguyen", "nguyen"), ("Kowalski", "kowalski"), ("von Bülow", "vonbuelow"),
            ("Meyer-Lüdenscheidt", "meyer-luedenscheidt"),
        ];

        private static readonly City[] Cities =
        [
            new("Berlin", "DE", "30", 8, 14), new("München", "DE", "89", 8, 10), new("Hamburg", "DE", "40", 8, 8),
            new("Köln", "DE", "221", 7, 7), new("Frankfurt am Main", "DE", "69", 8, 6), new("Düsseldorf", "DE", "211", 7, 5),
            new("Leipzig", "DE", "341", 7, 5), new("Halle (Saale)", "DE", "345", 7, 3), new("Wien", "AT", "1", 7, 8),
            new("Graz", "AT", null, 0, 3), new("Zürich", "CH", "44", 7, 6), new("Bern", "CH", "31", 7, 3),
            new("Basel", "CH", "61", 7, 3),
        ];

        private static readonly int TotalCityWeight = Cities.Sum(c => c.Weight);

        // Mobile prefixes with their subscriber lengths (DE 015x/016x/017x, AT 06xx, CH 07x).
        private static readonly Dictionary<string, (string Area, int Digits)[]> Mobiles = new(StringComparer.Ordinal)
        {
            ["DE"] =
            [
                ("151", 8), ("152", 8), ("157", 8), ("159", 8), ("160", 7), ("162", 7), ("163", 7), ("170", 7), ("171", 7),
                ("172", 7), ("173", 7), ("174", 7), ("175", 7), ("176", 8), ("177", 7), ("178", 7), ("179", 7),
            ],
            ["AT"] = [("664", 7), ("660", 7), ("676", 7), ("699", 8)],
            ["CH"] = [("79", 7), ("78", 7), ("77", 7), ("76", 7)],
        };

        // Googlemail is a German habit; repeats weight the draw.
        private static readonly Dictionary<string, string[]> Domains = new(StringComparer.Ordinal)
        {
            ["DE"] = ["gmail.com", "gmail.com", "gmail.com", "gmail.com", "googlemail.com", "web.de", "web.de", "gmx.de", "gmx.de", "t-online.de", "outlook.com", "posteo.de"],
            ["AT"] = ["gmail.com", "gmail.com", "gmail.com", "gmx.at", "gmx.at", "aon.at", "outlook.com"],
            ["CH"] = ["gmail.com", "gmail.com", "gmail.com", "bluewin.ch", "bluewin.ch", "gmx.ch", "outlook.com"],
        };

        private static readonly string[] AltDomains = ["web.de", "gmx.net", "outlook.com", "yahoo.de"];

        private static readonly string[] Plans = ["Mobil S", "Mobil M", "Mobil L", "Internet 100", "Internet 250", "Internet 1000", "TV Basis", "Kombi"];

        private static readonly string[] Tags = ["shop", "newsletter", "2024", "deals"];

        private readonly Random _rng = new(seed);
        private readonly Dictionary<int, (Plant Kind, int Group)> _plants = [];
        private readonly List<((string Display, string Ascii) LastName, City City)> _families = [];
        private readonly Dictionary<string, int> _phonesPerPrefix = new(StringComparer.Ordinal);
        private readonly List<PlantedRecord> _crm = [];
        private readonly List<PlantedRecord> _billing = [];
        private readonly List<PlantedRecord> _webshop = [];

        // For each crm record, the webshop record (index into _webshop) whose userId the crm knows, or -1.
        private readonly List<int> _crmKnowsWebshop = [];

        public PlantedSourceSet Run()
        {
            PlantCases();
            for (var i = 0; i < persons; i++)
            {
                AddPerson(i);
            }

            var records = AssignIds();
            var profileOf = ReferenceResolution.Resolve(records);
            var expected = new Dictionary<(string Source, string Id), string>(records.Length);
            var keys = new string?[records.Length];
            for (var i = 0; i < records.Length; i++)
            {
                var first = records[profileOf[i]];
                var key = keys[profileOf[i]] ??= $"{first.Source}:{first.Id}";
                expected.Add((records[i].Source, records[i].Id), key);
            }

            return new PlantedSourceSet(records, expected);
        }

        /// <summary>Chooses, before any person is drawn, which persons carry a planted case (each on a distinct person).</summary>
        private void PlantCases()
        {
            // Shared values scale with the data so a large benchmark file holds more than one of each.
            var groups = 1 + (persons / 50_000);
            for (var g = 0; g < groups; g++)
            {
                for (var i = 0; i < SharedCarriers; i++)
                {
                    Take(_rng.Next(2) == 0 ? Plant.ShopEmailOnCrm : Plant.ShopEmailOnWebshop, g);
                    Take(_rng.Next(2) == 0 ? Plant.HotlineOnCrm : Plant.HotlineOnWebshop, g);
                }
            }

            // The Guard 1 boundary: exactly 10 carriers still match, 11 do not.
            for (var i = 0; i < 10; i++)
            {
                Take(Plant.JunkAtLimit, 0);
            }

            for (var i = 0; i < 11; i++)
            {
                Take(Plant.JunkOverLimit, 0);
            }

            var families = Math.Max(2, persons / 250);
            for (var f = 0; f < families; f++)
            {
                _families.Add((Pick(LastNames), PickCity()));
                Take(Plant.Family, f);
                Take(Plant.Family, f);
            }
        }

        private void Take(Plant kind, int group)
        {
            while (!_plants.TryAdd(_rng.Next(persons), (kind, group)))
            {
            }
        }

        private void AddPerson(int index)
        {
            var number = index + 1;
            var person = "P" + number.ToString("D6", CultureInfo.InvariantCulture);
            var (plant, group) = _plants.GetValueOrDefault(index);
            var first = Pick(FirstNames);
            // Family members share the surname and the city as well as the e-mail.
            var last = plant == Plant.Family ? _families[group].LastName : Pick(LastNames);
            var city = plant == Plant.Family ? _families[group].City : PickCity();

            if (plant is Plant.JunkAtLimit or Plant.JunkOverLimit)
            {
                // A prospect who left nothing but a throw-away address: the junk value is its only link.
                var junk = plant == Plant.JunkAtLimit ? JunkAtLimit : JunkOverLimit;
                _webshop.Add(Webshop(person, $"{first.Display} {last.Display}", EmailVariant(junk), null, null));
                return;
            }

            var email = PersonalEmail(first.Ascii, last.Ascii, number, city.Country);
            var phone = NewPhone(city);
            var inCrm = plant is Plant.ShopEmailOnCrm or Plant.HotlineOnCrm or Plant.Family || _rng.NextDouble() < 0.85;
            var inBilling = inCrm && _rng.NextDouble() < 0.82;
            var inWebshop = !inCrm || plant is Plant.ShopEmailOnWebshop or Plant.HotlineOnWebshop || _rng.NextDouble() < 0.41;
            var secondAccount = inWebshop && _rng.NextDouble() < 0.08;
            var plan = Pick(Plans);
            var crmPhoneFormat = _rng.Next(phone.FormatCount);

            if (inCrm)
            {
                var customerNumber = CustomerNumber(_crm.Count);
                var crmEmail = plant switch
                {
                    Plant.ShopEmailOnCrm => ShopEmail(group),
                    Plant.Family => FamilyEmail(last.Ascii, group),
                    _ => email,
                };
                var crmPhone = plant == Plant.HotlineOnCrm ? Hotline(group).Format(_rng.Next(8)) : phone.Format(crmPhoneFormat);
                _crm.Add(new PlantedRecord(
                    "crm", "", crmEmail, crmPhone, customerNumber, null, $"{last.Display}, {first.Display}", plan, city.Name, UpdatedAt(), person));
                // Some crm records know the customer's webshop login; the webshop record is added below.
                _crmKnowsWebshop.Add(inWebshop && _rng.NextDouble() < 0.25 ? _webshop.Count : -1);

                if (inBilling)
                {
                    // Billing never sees family or shop addresses: those were typed into the crm at the counter.
                    var billingEmail = _rng.NextDouble() < 0.35 ? null : _rng.NextDouble() < 0.2 ? email.ToUpperInvariant() : email;
                    var billingPhone = _rng.NextDouble() < 0.15 ? null : phone.Format(OtherFormat(phone, crmPhoneFormat));
                    _billing.Add(new PlantedRecord(
                        "billing", "", billingEmail, billingPhone, Padded(customerNumber), null, $"{first.Display} {last.Display}", plan, city.Name, UpdatedAt(), person));
                }
            }

            if (inWebshop)
            {
                // Email only, email and phone, or phone only; a second account needs the phone it shares.
                var mode = secondAccount ? 1 + _rng.Next(2) : _rng.NextDouble() switch { < 0.5 => 0, < 0.8 => 1, _ => 2 };
                string? webEmail = mode < 2 ? EmailVariant(email) : null;
                string? webPhone = mode > 0 ? phone.Format(_rng.Next(phone.FormatCount)) : null;
                if (plant == Plant.ShopEmailOnWebshop)
                {
                    webEmail = EmailVariant(ShopEmail(group));
                }
                else if (plant == Plant.HotlineOnWebshop)
                {
                    webPhone = Hotline(group).Format(_rng.Next(8));
                }

                var name = _rng.NextDouble() < 0.15 ? $"{first.Display} {last.Display}".ToLowerInvariant() : $"{first.Display} {last.Display}";
                var webCity = _rng.NextDouble() < 0.5 ? city.Name : null;
                _webshop.Add(Webshop(person, name, webEmail, webPhone, webCity));

                if (secondAccount)
                {
                    // Shares only the phone: another address (never a variant of the first) or none at all.
                    var altEmail = _rng.NextDouble() < 0.6 ? $"{last.Ascii}.{first.Ascii}{number}@{Pick(AltDomains)}" : null;
                    _webshop.Add(Webshop(person, name, altEmail, phone.Format(_rng.Next(phone.FormatCount)), null));
                }
            }
        }

        private PlantedRecord Webshop(string person, string name, string? email, string? phone, string? city) =>
            new("webshop", "", email, phone, null, null, name, null, city, UpdatedAt(), person);

        /// <summary>
        /// Numbers the records of each source in a shuffled order, so ids say nothing about the person, and
        /// fills in the userIds. Returns crm, billing, webshop, each in id order.
        /// </summary>
        private PlantedRecord[] AssignIds()
        {
            var crmIds = Permutation(_crm.Count);
            var billingIds = Permutation(_billing.Count);
            var webshopIds = Permutation(_webshop.Count);
            var records = new PlantedRecord[_crm.Count + _billing.Count + _webshop.Count];
            for (var k = 0; k < _crm.Count; k++)
            {
                var known = _crmKnowsWebshop[k];
                records[crmIds[k]] = _crm[k] with
                {
                    Id = Numbered("CRM-", crmIds[k]),
                    UserId = known < 0 ? null : Numbered("u-", webshopIds[known]),
                };
            }

            for (var k = 0; k < _billing.Count; k++)
            {
                records[_crm.Count + billingIds[k]] = _billing[k] with { Id = Numbered("B-", billingIds[k]) };
            }

            for (var k = 0; k < _webshop.Count; k++)
            {
                var at = _crm.Count + _billing.Count + webshopIds[k];
                records[at] = _webshop[k] with { Id = Numbered("W-", webshopIds[k]), UserId = Numbered("u-", webshopIds[k]) };
            }

            return records;
        }

        private static string Numbered(string prefix, int zeroBased) => prefix + (zeroBased + 1).ToString(CultureInfo.InvariantCulture);

        private int[] Permutation(int count)
        {
            var order = Enumerable.Range(0, count).ToArray();
            _rng.Shuffle(order);
            return order;
        }

        /// <summary>The address as the crm stores it. The person number keeps it unique even after gmail normalisation.</summary>
        private string PersonalEmail(string first, string last, int number, string country)
        {
            var local = _rng.Next(4) switch
            {
                0 => $"{first}.{last}",
                1 => $"{first}{last}",
                2 => $"{first[0]}.{last}",
                _ => $"{first}_{last}",
            };
            return $"{local}{number.ToString(CultureInfo.InvariantCulture)}@{Pick(Domains[country])}";
        }

        /// <summary>The address as someone types it again: all variants normalise to the same value.</summary>
        private string EmailVariant(string email)
        {
            var at = email.IndexOf('@', StringComparison.Ordinal);
            var local = email[..at];
            var domain = email[(at + 1)..];
            var gmail = domain is "gmail.com" or "googlemail.com";
            return _rng.Next(gmail ? 8 : 4) switch
            {
                0 => email,
                1 => email.ToUpperInvariant(),
                2 => $"{char.ToUpperInvariant(local[0])}{local[1..]}@{domain}",
                3 => $"  {email} ",
                4 => $"{local}+{Pick(Tags)}@{domain}",
                5 => $"{local.Replace(".", "", StringComparison.Ordinal)}@{domain}",
                // The local part is letters then the person number, so a dot before the digits is always valid.
                6 => $"{local[..local.AsSpan().IndexOfAnyInRange('0', '9')]}.{local[local.AsSpan().IndexOfAnyInRange('0', '9')..]}@{domain}",
                _ => $"{local}@{(domain == "gmail.com" ? "googlemail.com" : "gmail.com")}",
            };
        }

        private static string ShopEmail(int group) =>
            group == 0 ? $"shop@{CompanyDomain}" : $"shop{(group + 1).ToString(CultureInfo.InvariantCulture)}@{CompanyDomain}";

        // Never gmail, so the address cannot collide with a personal one after dot removal.
        private static string FamilyEmail(string last, int family) =>
            $"familie.{last}{(family + 1).ToString(CultureInfo.InvariantCulture)}@{(family % 2 == 0 ? "web.de" : "gmx.de")}";

        // A toll-free number customers give instead of their own; 0800 numbers are never anyone's personal phone here.
        private static PhoneNumber Hotline(int group) => new("49", "800", "66360" + group.ToString("D2", CultureInfo.InvariantCulture));

        private PhoneNumber NewPhone(City city)
        {
            var (countryCode, mobiles) = city.Country switch
            {
                "AT" => ("43", Mobiles["AT"]),
                "CH" => ("41", Mobiles["CH"]),
                _ => ("49", Mobiles["DE"]),
            };
            var (area, digits) = city.Area is not null && _rng.NextDouble() < 0.4 ? (city.Area, city.SubscriberDigits) : Pick(mobiles);
            var prefix = countryCode + area;
            var k = _phonesPerPrefix.GetValueOrDefault(prefix);
            _phonesPerPrefix[prefix] = k + 1;
            // The k-th number of a prefix is k scrambled by a bijection mod 10^(digits-1), so numbers never repeat;
            // the leading digit only adds variety (landline subscribers never start with 0 or 1).
            var modulus = (long)Math.Pow(10, digits - 1);
            var scrambled = ((k * 7_654_321L) + 1_234_567L) % modulus;
            var lead = city.Area == area ? _rng.Next(2, 10) : _rng.Next(1, 10);
            var subscriber = lead.ToString(CultureInfo.InvariantCulture) + scrambled.ToString(CultureInfo.InvariantCulture).PadLeft(digits - 1, '0');
            return new PhoneNumber(countryCode, area, subscriber);
        }

        private int OtherFormat(PhoneNumber phone, int format) => (format + 1 + _rng.Next(phone.FormatCount - 1)) % phone.FormatCount;

        // The k-th crm customer's number: a bijection of k onto 100000..999999 (7919 is coprime to 900000).
        private static string CustomerNumber(int k) =>
            "C-" + (100_000 + (((k * 7_919L) + 31_337L) % 900_000)).ToString(CultureInfo.InvariantCulture);

        private string Padded(string customerNumber) => _rng.Next(5) switch
        {
            0 => customerNumber,
            1 => $" {customerNumber}",
            2 => $"{customerNumber} ",
            3 => $"  {customerNumber}  ",
            _ => $" {customerNumber} ",
        };

        private DateTimeOffset UpdatedAt() => UpdatedFrom.AddSeconds(_rng.NextInt64(UpdatedSpanSeconds));

        private City PickCity()
        {
            var roll = _rng.Next(TotalCityWeight);
            foreach (var city in Cities)
            {
                roll -= city.Weight;
                if (roll < 0)
                {
                    return city;
                }
            }

            return Cities[^1];
        }

        private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];
    }
}

/// <summary>
/// The reference answer: the resolution rules applied literally. Identifiers (customerNumber, email, phone,
/// userId) are normalised; a value carried by more than <see cref="MaxCarriers"/> records is ignored
/// (Guard 1); records sharing a value are joined transitively, except that a join is refused when it would put
/// two records of one source with different customer numbers into one profile (Guard 2). The generated data
/// avoids every case where the order of joins would matter, so the answer is unique; the order here is fixed
/// anyway, and <c>reverse</c> lets a test check that claim.
/// </summary>
internal static class ReferenceResolution
{
    public const int MaxCarriers = 10;

    // The customer number comes first: its values also feed Guard 2.
    private static readonly Func<PlantedRecord, string?>[] Identifiers =
    [
        r => NormaliseCustomerNumber(r.CustomerNumber),
        r => NormaliseEmail(r.Email),
        r => NormalisePhone(r.Phone),
        r => r.UserId,
    ];

    public static int SourceIndex(string source) => source switch
    {
        "crm" => 0,
        "billing" => 1,
        "webshop" => 2,
        _ => -1,
    };

    /// <summary>For each record, the index of the first record (in list order) of its profile.</summary>
    public static int[] Resolve(IReadOnlyList<PlantedRecord> records, bool reverse = false)
    {
        var n = records.Count;
        var profiles = new GuardedUnionFind(n);
        var customerNumbers = Values(records, Identifiers[0]);
        for (var i = 0; i < n; i++)
        {
            if (customerNumbers[i] is { } number)
            {
                profiles.SetCustomerNumber(i, SourceIndex(records[i].Source), number);
            }
        }

        for (var step = 0; step < Identifiers.Length; step++)
        {
            var kind = reverse ? Identifiers.Length - 1 - step : step;
            var values = kind == 0 ? customerNumbers : Values(records, Identifiers[kind]);
            var carriers = new Dictionary<string, (int Count, int Anchor)>(n, StringComparer.Ordinal);
            foreach (var value in values)
            {
                if (value is not null)
                {
                    ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(carriers, value, out var seen);
                    entry = seen ? (entry.Count + 1, -1) : (1, -1);
                }
            }

            // Each record joins the first record seen with the same value.
            for (var k = 0; k < n; k++)
            {
                var i = reverse ? n - 1 - k : k;
                if (values[i] is not { } value)
                {
                    continue;
                }

                ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(carriers, value);
                if (entry.Count > MaxCarriers)
                {
                    continue;
                }

                if (entry.Anchor < 0)
                {
                    entry.Anchor = i;
                }
                else
                {
                    profiles.Union(entry.Anchor, i);
                }
            }
        }

        var firstOfRoot = new int[n];
        Array.Fill(firstOfRoot, -1);
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            var root = profiles.Find(i);
            if (firstOfRoot[root] < 0)
            {
                firstOfRoot[root] = i;
            }

            result[i] = firstOfRoot[root];
        }

        return result;
    }

    private static string?[] Values(IReadOnlyList<PlantedRecord> records, Func<PlantedRecord, string?> identifier)
    {
        var values = new string?[records.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = identifier(records[i]);
        }

        return values;
    }

    /// <summary>Trimmed and lower-cased; for gmail the "+tag" and the dots of the local part go, googlemail becomes gmail.</summary>
    public static string? NormaliseEmail(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var email = raw.Trim().ToLowerInvariant();
        var at = email.LastIndexOf('@');
        if (at <= 0 || email[(at + 1)..] is not ("gmail.com" or "googlemail.com"))
        {
            return email;
        }

        var local = email[..at];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            local = local[..plus];
        }

        return local.Replace(".", "", StringComparison.Ordinal) + "@gmail.com";
    }

    /// <summary>
    /// E.164 with default region DE, for the formats the generator writes: "+" or "00" start a country code,
    /// a leading 0 is the German trunk prefix, "(0)" after a country code is dropped, other punctuation ignored.
    /// </summary>
    public static string? NormalisePhone(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        Span<char> digits = raw.Length <= 64 ? stackalloc char[64] : new char[raw.Length];
        var count = 0;
        var international = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw.AsSpan(i).StartsWith("(0)"))
            {
                i += 2;
            }
            else if (char.IsAsciiDigit(raw[i]))
            {
                digits[count++] = raw[i];
            }
            else if (raw[i] == '+' && count == 0)
            {
                international = true;
            }
        }

        var number = digits[..count];
        return international ? string.Concat("+", number)
            : number.StartsWith("00") ? string.Concat("+", number[2..])
            : number.StartsWith('0') ? string.Concat("+49", number[1..])
            : string.Concat("+49", number);
    }

    public static string? NormaliseCustomerNumber(string? raw) => string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();

    /// <summary>Union-find whose roots remember, per source, the one customer number their profile holds.</summary>
    private sealed class GuardedUnionFind
    {
        private const int SourceCount = 3;
        private readonly int[] _parent;
        private readonly int[] _size;
        private readonly string?[] _numbers;

        public GuardedUnionFind(int count)
        {
            _parent = Enumerable.Range(0, count).ToArray();
            _size = new int[count];
            Array.Fill(_size, 1);
            _numbers = new string?[count * SourceCount];
        }

        public void SetCustomerNumber(int record, int source, string number) => _numbers[(record * SourceCount) + source] = number;

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        /// <summary>Joins the two profiles unless Guard 2 forbids it.</summary>
        public void Union(int a, int b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                return;
            }

            for (var s = 0; s < SourceCount; s++)
            {
                var na = _numbers[(ra * SourceCount) + s];
                var nb = _numbers[(rb * SourceCount) + s];
                if (na is not null && nb is not null && na != nb)
                {
                    return;
                }
            }

            if (_size[ra] < _size[rb])
            {
                (ra, rb) = (rb, ra);
            }

            _parent[rb] = ra;
            _size[ra] += _size[rb];
            for (var s = 0; s < SourceCount; s++)
            {
                _numbers[(ra * SourceCount) + s] ??= _numbers[(rb * SourceCount) + s];
            }
        }
    }
}
