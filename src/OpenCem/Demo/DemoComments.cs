using System.Globalization;

namespace OpenCem.Demo;

/// <summary>What a demo comment talks about: the real themes of the customer's (or employee's) experience.</summary>
internal enum Theme
{
    Waiting,
    Technician,
    Hotline,
    HoldTime,
    Information,
    Result,
    Billing,
    Price,
    Network,
    App,
    Competitor,
    Moving,
    NoNeed,
    Tools,
    Workload,
    TeamSpirit,
    Leadership,
    Training,
}

/// <summary>One theme said positively or negatively; <see cref="Number"/> fills a phrase's <c>{n}</c> (days, minutes).</summary>
internal readonly record struct Mention(Theme Theme, bool Positive, int Number = 0);

/// <summary>
/// Writes demo verbatims in English and German from phrases about their themes: one or two clauses, joined with
/// "and"/"und" when they agree and "but"/"aber" when they do not, sometimes with a closing sentence that carries the
/// overall tone. Every complaint about waiting (for a repair, on hold) says "wait" (English) or "wart" (German), and no
/// other phrase does, so mentions of waiting can be counted in plain text.
/// </summary>
internal static class DemoComments
{
    private static readonly Dictionary<(Theme Theme, bool Positive, bool German), string[]> Phrases = Build();

    private static readonly string[][] ClosersEn =
    [
        ["Very disappointing.", "I am thinking about switching provider.", "This is not acceptable.", "Never again."],
        ["Please improve this.", "Not great.", "This has to get better."],
        ["Otherwise okay.", "Mixed feelings overall.", "Could be better, could be worse."],
        ["Thanks.", "Good job.", "All good."],
        ["Thank you very much!", "Keep it up!", "Highly recommended.", "Best provider I have had."],
    ];

    private static readonly string[][] ClosersDe =
    [
        ["Sehr enttäuschend.", "Ich überlege, den Anbieter zu wechseln.", "So geht das nicht.", "Nie wieder."],
        ["Bitte verbessern Sie das.", "Das ist nicht gut.", "Das muss besser werden."],
        ["Sonst ist alles in Ordnung.", "Insgesamt gemischte Gefühle.", "Könnte besser sein, könnte schlechter sein."],
        ["Danke.", "Gute Arbeit.", "Alles gut."],
        ["Vielen Dank!", "Weiter so!", "Sehr empfehlenswert.", "Der beste Anbieter, den ich je hatte."],
    ];

    /// <summary>A comment about one or two themes in <paramref name="language"/> with a tone from -2 (angry) to 2 (delighted).</summary>
    public static string Compose(Random rng, string language, Mention first, Mention? second, int tone)
    {
        var german = language == "de";
        var text = Clause(rng, first, german);
        if (second is { } other)
        {
            // German closes a subordinate clause with a comma before "und" too.
            var join = other.Positive == first.Positive ? (german ? (text.Contains(',', StringComparison.Ordinal) ? ", und " : " und ") : ", and ")
                : (german ? ", aber " : ", but ");
            text += join + Clause(rng, other, german);
        }

        text = char.ToUpperInvariant(text[0]) + text[1..] + (Math.Abs(tone) == 2 && rng.NextDouble() < 0.4 ? "!" : ".");
        if (rng.NextDouble() < 0.45)
        {
            var closers = (german ? ClosersDe : ClosersEn)[Math.Clamp(tone, -2, 2) + 2];
            text += " " + closers[rng.Next(closers.Length)];
        }

        return DemoBrandVoice.Flavour(text, first, second, german, tone);
    }

    /// <summary>A clause without the capital and the full stop, with its number filled in.</summary>
    public static string Clause(Random rng, Mention mention, bool german)
    {
        var key = (mention.Theme, mention.Positive, german);
        var phrases = mention is { Theme: Theme.Waiting, Positive: false, Number: >= 7 } ? Weeks(german) : Phrases[key];
        if (mention.Number <= 0)
        {
            // Without a number to tell, only the phrases that need none.
            phrases = Array.FindAll(phrases, p => !p.Contains("{n}", StringComparison.Ordinal));
        }

        return phrases[rng.Next(phrases.Length)].Replace("{n}", mention.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static string[] Weeks(bool german) => german
        ? ["ich habe über eine Woche auf die Reparatur gewartet", "die Wartezeit von {n} Tagen ohne Anschluss war eine Zumutung"]
        : ["I waited more than a week for the repair", "waiting {n} days without a connection was unbearable"];

    private static Dictionary<(Theme, bool, bool), string[]> Build()
    {
        var phrases = new Dictionary<(Theme, bool, bool), string[]>();

        void Add(Theme theme, bool positive, string[] en, string[] de)
        {
            phrases[(theme, positive, false)] = en;
            phrases[(theme, positive, true)] = de;
        }

        Add(Theme.Waiting, false,
            ["I waited {n} days for the repair", "I had to wait {n} days until my line worked again", "the wait for the technician was far too long",
                "waiting {n} days without internet is not acceptable"],
            ["ich habe {n} Tage auf die Reparatur gewartet", "ich musste {n} Tage warten, bis die Leitung wieder lief",
                "die Wartezeit auf den Techniker war viel zu lang", "{n} Tage ohne Internet zu warten ist inakzeptabel"]);
        Add(Theme.Waiting, true,
            ["the fault was fixed the same day", "everything worked again within a day", "the repair was really quick", "the technician came the next morning"],
            ["die Störung wurde noch am selben Tag behoben", "nach einem Tag lief alles wieder", "die Reparatur ging wirklich schnell",
                "der Techniker kam gleich am nächsten Morgen"]);
        Add(Theme.Technician, true,
            ["the technician was friendly", "the technician knew exactly what to do", "the engineer was competent and polite",
                "the technician explained everything patiently"],
            ["der Techniker war sehr freundlich", "der Techniker wusste genau, was zu tun ist", "der Monteur war kompetent und höflich",
                "der Techniker hat alles geduldig erklärt"]);
        Add(Theme.Technician, false,
            ["the technician was badly prepared", "the technician was rude", "the technician had no spare parts with him",
                "the engineer left without fixing the problem"],
            ["der Techniker war schlecht vorbereitet", "der Techniker war unfreundlich", "der Techniker hatte keine Ersatzteile dabei",
                "der Monteur ist gegangen, ohne das Problem zu lösen"]);
        Add(Theme.Hotline, true,
            ["the hotline agent was very helpful", "reporting the fault was easy", "the person on the phone was friendly and competent",
                "the chat sorted out my question in minutes",
                "the agent solved my problem in one call"],
            ["die Mitarbeiterin an der Hotline war sehr hilfsbereit", "die Störungsmeldung war ganz einfach",
                "der Mitarbeiter am Telefon war freundlich und kompetent", "im Chat war meine Frage in wenigen Minuten geklärt",
                "der Mitarbeiter hat mein Problem mit einem Anruf gelöst"]);
        Add(Theme.Hotline, false,
            ["I had to explain my problem three times", "the hotline kept transferring me", "nobody at the hotline could help me",
                "the agent did not understand my problem",
                "I got a different answer every time I called"],
            ["ich musste mein Problem dreimal erklären", "die Hotline hat mich ständig weiterverbunden", "niemand an der Hotline konnte mir helfen",
                "der Mitarbeiter hat mein Problem nicht verstanden",
                "bei jedem Anruf bekam ich eine andere Antwort"]);
        Add(Theme.HoldTime, false,
            ["I waited {n} minutes on hold", "the waiting time on the phone was {n} minutes", "I had to wait ages before anyone answered"],
            ["ich habe {n} Minuten in der Warteschleife gehangen", "die Wartezeit am Telefon betrug {n} Minuten",
                "ich musste ewig warten, bis jemand abgenommen hat"]);
        Add(Theme.HoldTime, true,
            ["I got through right away", "someone answered within a minute"],
            ["ich kam sofort durch", "nach einer Minute hatte ich jemanden am Telefon"]);
        Add(Theme.Information, true,
            ["I was kept informed by text message at every step", "they told me exactly when the technician would come"],
            ["ich wurde bei jedem Schritt per SMS informiert", "man hat mir genau gesagt, wann der Techniker kommt"]);
        Add(Theme.Information, false,
            ["nobody told me what was going on", "I had to call again and again to get an update", "the appointment was changed without telling me"],
            ["niemand hat mir gesagt, was los ist", "ich musste immer wieder anrufen, um etwas zu erfahren", "der Termin wurde ohne Info verschoben"]);
        Add(Theme.Result, true,
            ["now everything works perfectly", "the internet has been stable since the repair", "the problem is solved for good",
                "the line is faster than before"],
            ["jetzt funktioniert alles einwandfrei", "seit der Reparatur ist das Internet stabil", "das Problem ist endgültig gelöst",
                "die Leitung ist jetzt schneller als vorher"]);
        Add(Theme.Result, false,
            ["the fault came back two days later", "the problem is still not really solved", "the connection still drops in the evening"],
            ["die Störung kam zwei Tage später zurück", "das Problem ist immer noch nicht richtig gelöst", "die Verbindung bricht abends immer noch ab"]);
        Add(Theme.Billing, true,
            ["the bill is clear and easy to understand", "my bills have always been correct", "I can see every charge in the app",
                "the direct debit works without any problems"],
            ["die Rechnung ist klar und verständlich", "meine Rechnungen waren immer korrekt", "ich sehe jede Buchung in der App",
                "die Abbuchung funktioniert problemlos"]);
        Add(Theme.Billing, false,
            ["there was a billing error on my invoice", "I was charged twice", "my bill had charges I never ordered",
                "it took three calls to get a wrong charge refunded"],
            ["auf meiner Rechnung war ein Fehler", "mir wurde doppelt abgebucht", "auf der Rechnung standen Posten, die ich nie bestellt habe",
                "es hat drei Anrufe gebraucht, bis eine falsche Buchung erstattet wurde"]);
        Add(Theme.Price, true,
            ["the price is fair for what I get", "it is good value for money", "the price is fine", "the bundle discount is worth it"],
            ["der Preis ist fair für die Leistung", "das Preis-Leistungs-Verhältnis stimmt", "der Preis ist in Ordnung", "der Kombi-Rabatt lohnt sich"]);
        Add(Theme.Price, false,
            ["it is too expensive", "other providers are much cheaper", "the price went up again", "the monthly fee is far too high",
                "I pay too much for what I get", "the contract gets more expensive every year"],
            ["es ist zu teuer", "andere Anbieter sind deutlich günstiger", "der Preis wurde schon wieder erhöht", "die monatliche Gebühr ist viel zu hoch",
                "ich zahle zu viel für das, was ich bekomme", "der Vertrag wird jedes Jahr teurer"]);
        Add(Theme.Network, true,
            ["the network is fast and reliable", "I have good coverage everywhere", "the connection has been stable for months",
                "streaming works without any problems"],
            ["das Netz ist schnell und zuverlässig", "ich habe überall guten Empfang", "die Verbindung ist seit Monaten stabil",
                "Streaming funktioniert ohne Probleme"]);
        Add(Theme.Network, false,
            ["the internet keeps dropping out", "the connection is slow in the evenings", "mobile coverage at home is poor",
                "the Wi-Fi drops several times a day", "streaming keeps buffering in the evening"],
            ["das Internet fällt ständig aus", "abends ist die Verbindung langsam", "der Handyempfang zu Hause ist schlecht",
                "das WLAN bricht mehrmals am Tag ab", "beim Streamen ruckelt es abends ständig"]);
        Add(Theme.App, true,
            ["the app is easy to use", "setting up the router with the app was simple", "I can do almost everything in the app",
                "the app shows my usage clearly"],
            ["die App ist einfach zu bedienen", "die Einrichtung des Routers mit der App war einfach", "ich kann fast alles in der App erledigen",
                "die App zeigt meinen Verbrauch übersichtlich an"]);
        Add(Theme.App, false,
            ["the router setup in the app failed again and again", "the app keeps crashing", "I could not activate my router with the app",
                "the app logs me out all the time"],
            ["die Router-Einrichtung in der App ist immer wieder fehlgeschlagen", "die App stürzt ständig ab",
                "ich konnte meinen Router mit der App nicht aktivieren",
                "die App meldet mich ständig ab"]);
        Add(Theme.Competitor, false,
            ["another provider made me a better offer", "a competitor offered me the same for less"],
            ["ein anderer Anbieter hat mir ein besseres Angebot gemacht", "die Konkurrenz bietet das Gleiche günstiger an"]);
        Add(Theme.Moving, false,
            ["I am moving abroad", "I am moving to a place you do not serve"],
            ["ich ziehe ins Ausland", "ich ziehe an einen Ort, den Sie nicht versorgen"]);
        Add(Theme.NoNeed, false,
            ["I no longer need the contract", "we now share one contract in the family"],
            ["ich brauche den Vertrag nicht mehr", "wir nutzen jetzt einen gemeinsamen Vertrag in der Familie"]);
        Add(Theme.Tools, true,
            ["the new ticket system saves me a lot of time", "I have everything I need to help customers"],
            ["das neue Ticketsystem spart mir viel Zeit", "ich habe alles, was ich brauche, um Kunden zu helfen"]);
        Add(Theme.Tools, false,
            ["the ticket system is slow", "I have to switch between five tools for one customer"],
            ["das Ticketsystem ist langsam", "ich muss für einen Kunden zwischen fünf Programmen wechseln"]);
        Add(Theme.Workload, true,
            ["the workload is fine", "the shift plans are fair"],
            ["die Arbeitsbelastung ist in Ordnung", "die Schichtpläne sind fair"]);
        Add(Theme.Workload, false,
            ["there are too many calls per shift", "we are always short of staff"],
            ["es gibt zu viele Anrufe pro Schicht", "wir sind immer unterbesetzt"]);
        Add(Theme.TeamSpirit, true,
            ["the team spirit is great", "my colleagues always help me"],
            ["der Zusammenhalt im Team ist toll", "meine Kollegen helfen mir immer"]);
        Add(Theme.TeamSpirit, false,
            ["the team is falling apart", "nobody helps each other any more"],
            ["das Team fällt auseinander", "niemand hilft sich mehr gegenseitig"]);
        Add(Theme.Leadership, true,
            ["management listens to us", "my manager trusts me"],
            ["die Führung hört uns zu", "meine Chefin vertraut mir"]);
        Add(Theme.Leadership, false,
            ["management does not listen to us", "decisions are made over our heads"],
            ["die Führung hört uns nicht zu", "über unsere Köpfe hinweg wird entschieden"]);
        Add(Theme.Training, true,
            ["the training on new products is good", "I learn something new every month"],
            ["die Schulungen zu neuen Produkten sind gut", "ich lerne jeden Monat etwas Neues"]);
        Add(Theme.Training, false,
            ["there is not enough training on new products", "new colleagues are thrown in at the deep end"],
            ["es gibt zu wenig Schulungen zu neuen Produkten", "neue Kollegen werden ins kalte Wasser geworfen"]);
        return phrases;
    }
}
