using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>Unsolicited feedback: social posts about faults, complaints after hard repairs and failed contacts, reviews.</summary>
internal sealed partial class CustomerVoice
{
    private const string Care = "@AlpenfunkCare";

    private static readonly string[] OutageReportsEn =
    [
        "Is there a known outage in my area?",
        "Is there maintenance in my region today?",
        "Quick question: is the TV service affected by the works tonight?",
        "Can you check the line at my address, please? The router light is red.",
    ];

    private static readonly string[] OutageReportsDe =
    [
        "Gibt es eine bekannte Störung in meiner Gegend?",
        "Gibt es heute Wartungsarbeiten in meiner Region?",
        "Kurze Frage: Ist das Fernsehen von den Arbeiten heute Abend betroffen?",
        "Können Sie bitte die Leitung an meiner Adresse prüfen? Das Licht am Router ist rot.",
    ];

    private void Signals()
    {
        var german = _c.Language == "de";
        foreach (var fault in _s.Faults)
        {
            var about = fault.VisitEffort is null ? DemoSurveys.FaultRepairTouchpoint : "technician-visit";
            var properties = Properties(("faultId", Invariant($"F-{_c.Index}-{fault.Number}")), ("category", fault.Category));
            if (fault.SocialAt > 0)
            {
                // The post the simulator's "Social Complaint Posted" event stands for, in the customer's words.
                _candidates.Clear();
                Candidate(Theme.Network, false, 1);
                Candidate(Theme.Hotline, false, 0.5);
                Candidate(Theme.Information, false, 0.5);
                var (first, second) = Pick(-2, null);
                // Many posts only report the outage or ask about it; the others vent.
                var text = _rng.NextDouble() < Truth.OutageReportShare
                    ? Care + " " + (german ? OutageReportsDe : OutageReportsEn)[_rng.Next(OutageReportsEn.Length)]
                    : Care + " " + DemoComments.Compose(_rng, _c.Language, first!.Value, second, -2) + (_rng.NextDouble() < 0.5 ? (german ? " #Störung" : " #outage") : "");
                Signal("social", fault.SocialAt, text, null, null, "social-care",
                    Properties(("platform", fault.Platform!), ("faultId", Invariant($"F-{_c.Index}-{fault.Number}"))));
            }

            if (fault.ResolvedEvent >= 0 && fault.Ease <= Truth.HardRepairEase && _rng.NextDouble() < Truth.HardRepairComplaintRate)
            {
                _candidates.Clear();
                RepairComplaints(fault, 1);
                Candidate(Theme.Hotline, false, 0.4);
                var (first, second) = Pick(-2, Theme.Waiting);
                string[] asks = german
                    ? ["Ich bitte um eine Gutschrift für die Tage ohne Anschluss.", "Bitte rufen Sie mich zurück.", "Ich möchte eine Entschädigung."]
                    : ["I want a credit for the days without service.", "Please call me back.", "I would like some compensation."];
                Signal("complaint", fault.ResolvedAt + Day + (long)(_rng.NextDouble() * (Truth.ComplaintWithinDays - 2) * Day),
                    DemoComments.Compose(_rng, _c.Language, first!.Value, second, -2) + " " + asks[_rng.Next(asks.Length)],
                    german ? "Beschwerde über meine Störungsbehebung" : "Complaint about my fault repair", null, about, properties);
            }

            if (fault.ResolvedEvent >= 0 && fault.Ease >= 6 && _rng.NextDouble() < Truth.PraiseRate)
            {
                _candidates.Clear();
                RepairThemes(fault);
                if (Pick(2, null) is ({ } first, var second))
                {
                    Signal("social", fault.ResolvedAt + Hour + (long)(_rng.NextDouble() * 20 * Hour),
                        (german ? "Großes Lob an " : "Shout-out to ") + Care + ": " + DemoComments.Compose(_rng, _c.Language, first, second, 2), null, null, about,
                        Properties(("platform", _rng.NextDouble() < 0.5 ? "x" : "facebook"), ("faultId", Invariant($"F-{_c.Index}-{fault.Number}"))));
                }
            }
        }

        foreach (var contact in _s.Contacts)
        {
            if (contact.Event >= 0 && !contact.Solved && contact.Touchpoint != "setup-hotline" && _rng.NextDouble() < Truth.FailedBillingComplaintRate)
            {
                var wrongCharge = contact.Topic == "unexpected-charge";
                var title = (wrongCharge, german) switch
                {
                    (true, true) => "Falsche Abbuchung auf meiner Rechnung",
                    (true, false) => "Wrong charge on my bill",
                    (false, true) => "Meine Rechnungsfrage ist immer noch offen",
                    (false, false) => "My billing question is still open",
                };
                var text = DemoComments.Compose(_rng, _c.Language, new Mention(Theme.Billing, false), new Mention(Theme.Hotline, false), -2);
                Signal("complaint", contact.At + Day + (long)(_rng.NextDouble() * 6 * Day), text, title, null, contact.Touchpoint,
                    Properties(("topic", contact.Topic)));
            }
        }

        if (_s.FrustratedSince > 0 && _rng.NextDouble() < Truth.FrustrationComplaintRate)
        {
            Mention? second = _rng.NextDouble() < 0.5 ? new Mention(Theme.Hotline, false) : null;
            Signal("complaint", _s.FrustratedSince + Day + (long)(_rng.NextDouble() * 4 * Day),
                DemoComments.Compose(_rng, _c.Language, new Mention(Theme.App, false), second, -2),
                german ? "Router-Einrichtung funktioniert nicht" : "Router setup does not work", null, "router-self-setup", null);
        }

        if (_rng.NextDouble() < Truth.ReviewRate)
        {
            Review(german);
        }
    }

    /// <summary>A review on an app store or a review portal; its rating follows the customer's loyalty at the time.</summary>
    private void Review(bool german)
    {
        var at = Human(Math.Max(_s.StartTicks, _c.CustomerSince.UtcTicks + (30 * Day)), _s.EndTicks);
        if (at >= _s.EndTicks || !IsActive(at))
        {
            return;
        }

        var rating = Whole(1 + (4 * (_s.LoyaltyAt(at) - 2) / 8) + (0.7 * Gaussian()), 1, 5);
        CustomerThemes(at);
        if (Pick(rating - 3, Theme.Waiting) is not ({ } first, var second))
        {
            return;
        }

        string[] titles = german
            ? ["Nicht zu empfehlen", "Enttäuschend", "Geht so", "Guter Anbieter", "Hervorragender Anbieter"]
            : ["Not recommended", "Disappointing", "It's okay", "Good provider", "Excellent provider"];
        var site = _c.UsesApp && _rng.NextDouble() < 0.6 ? (_rng.NextDouble() < 0.55 ? "google-play" : "app-store") : "review-portal";
        Signal("review", at, DemoComments.Compose(_rng, _c.Language, first, second, rating - 3), titles[rating - 1], rating, null,
            Properties(("site", site)), Invariant($"https://reviews.example/alpenfunk-telecom/{seed}-{_c.Index}"));
    }

    private void Signal(string source, long at, string text, string? title, double? rating, string? touchpoint, string? properties, string? url = null)
    {
        if (at < _s.StartTicks || at >= _s.EndTicks)
        {
            return;
        }

        _signals.Add(new DemoSignal(
            source, ExternalId(source, _signals.Count), _c.UserId, _c.Language, At(at), text, title, rating, rating is null ? null : 5, touchpoint, url, properties));
    }

    private static string Properties(params (string Name, string Value)[] properties) =>
        "{" + string.Join(",", properties.Select(p => DemoJson.Quote(p.Name) + ":" + DemoJson.Quote(p.Value))) + "}";

    private static string Invariant(FormattableString text) => text.ToString(Inv);
}
