namespace OpenCem.Text.Analysis;

/// <summary>
/// Whose voice a German text is, read once before scoring. Public feedback about a railway or a telecom company is
/// a mix: travellers complain and thank, but news, announcements and advertising name the same delays, strikes and
/// offers without judging them ("GDL ruft zu Streik auf", "Sparpreis: jetzt günstig buchen"). Words that name an
/// event (<see cref="WordInfo.Event"/>) count in full only where the author's own opinion shows.
/// </summary>
/// <param name="German">The German customer-service rules apply (false: the stance changes nothing).</param>
/// <param name="FirstPerson">The author speaks of themselves or to the company: ich, wir, mein, du, euch.</param>
/// <param name="Expressive">Exclamation marks or emoji: a person's tone, not a report's.</param>
/// <param name="Report">
/// News and announcement vocabulary (laut, meldet, Reisende, Gewerkschaft) or a headline ("Bahnstreik: ..."), and no
/// sign of the author's own judgement: no first person, no expressive mark, no judging word
/// (<see cref="SentimentRules.OpinionValence"/>), no "wieder" before an event ("wieder Zugausfall": the author counts the failures).
/// </param>
/// <param name="Offer">Advertising vocabulary (Sparpreis, Aktion, Gewinnspiel, buchen) and no first person.</param>
internal readonly record struct Stance(bool German, bool FirstPerson, bool Expressive, bool Report, bool Offer)
{
    public static readonly Stance None = default;

    public static Stance Read(Scratch scratch)
    {
        var firstPerson = false;
        var expressive = false;
        var judging = false;
        var report = scratch.Headline;
        var offer = false;
        for (var s = 0; s < scratch.SentenceCount; s++)
        {
            expressive |= scratch.Sentences[s].Exclamations > 0;
        }

        for (var i = 0; i < scratch.TokenCount; i++)
        {
            var cue = scratch.Infos[i]?.Cue ?? Cue.None;
            firstPerson |= (cue & Cue.Personal) != 0;
            report |= (cue & Cue.Report) != 0;
            offer |= (cue & Cue.Offer) != 0;
            var valence = scratch.Valences[i];
            if (scratch.Spans[i] == 0 || float.IsNaN(valence) || valence == 0)
            {
                continue;
            }

            if (scratch.Tokens[i].Kind == TokenKind.Symbol)
            {
                expressive = true;
            }
            else if (!scratch.Events[i] && MathF.Abs(valence) >= SentimentRules.OpinionValence)
            {
                judging = true;
            }
            else if (scratch.Events[i] && valence < 0 && i > 0 && scratch.Text(i - 1) is "wieder" && scratch.Tokens[i].Sentence == scratch.Tokens[i - 1].Sentence)
            {
                judging = true;
            }
        }

        return new Stance(
            German: true,
            FirstPerson: firstPerson,
            Expressive: expressive,
            Report: report && !firstPerson && !expressive && !judging,
            Offer: offer && !firstPerson);
    }

    /// <summary>
    /// The factor for one word's contribution <paramref name="v"/>: an event word counts less in a report and in a
    /// question that asks for information ("fährt der ICE trotz Streik?"), other words count less in a report, and
    /// praise counts less in an advertisement.
    /// </summary>
    public float Weight(bool isEvent, float v, bool asking)
    {
        var weight = 1f;
        if (isEvent && (Report || asking))
        {
            weight *= SentimentRules.ReportedEvent;
        }
        else if (Report)
        {
            weight *= SentimentRules.Reported;
        }

        if (Offer && v > 0)
        {
            weight *= SentimentRules.Advertised;
        }

        return weight;
    }
}
