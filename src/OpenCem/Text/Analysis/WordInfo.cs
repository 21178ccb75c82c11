namespace OpenCem.Text.Analysis;

/// <summary>How a word changes the sentiment words after it.</summary>
internal enum Modifier : byte
{
    None,
    Booster,
    Negation,
    Contrast,

    /// <summary>German "trotz": the trouble after it was overcome ("trotz Streik gut angekommen").</summary>
    Concession,
}

/// <summary>What a word says about the text it stands in (German): whose voice it is, and what kind of text.</summary>
[Flags]
internal enum Cue : byte
{
    None = 0,

    /// <summary>The author speaks (ich, wir, mein, du, euch): a personal report, not news.</summary>
    Personal = 1,

    /// <summary>The vocabulary of news and announcements (laut, meldet, Umfrage, Reisende, Gewerkschaft).</summary>
    Report = 2,

    /// <summary>The vocabulary of advertising (Sparpreis, Aktion, Gewinnspiel, buchen, Rabatt).</summary>
    Offer = 4,
}

/// <summary>The emotions of the analyser's documented set, in the order of <see cref="Emotions.Names"/>.</summary>
internal static class Emotions
{
    public static readonly string[] Names = ["anger", "frustration", "disappointment", "worry", "confusion", "joy", "gratitude", "relief", "surprise"];

    public static int IndexOf(string name) => Array.IndexOf(Names, name) is >= 0 and var i ? i : throw new InvalidDataException($"Unknown emotion \"{name}\".");
}

/// <summary>Several words read as one: a sentiment phrase ("still waiting"), a modifier ("kind of") or an emotion phrase.</summary>
/// <param name="Words">Folded words after the first; a word ending in * matches any word that begins with it.</param>
/// <param name="Event">The phrase names an event (a delay, a strike) rather than judging it: see <see cref="WordInfo.Event"/>.</param>
internal sealed record Phrase(string[] Words, float Valence, Modifier Modifier, float Boost, int Emotion, float EmotionWeight, bool Event = false)
{
    public bool HasValence => !float.IsNaN(Valence);
}

/// <summary>What a language pack knows about one folded word. One lookup per token finds all of it.</summary>
internal sealed class WordInfo
{
    public float Valence = float.NaN;
    public Modifier Modifier;
    public float Boost;
    public bool Stopword;

    /// <summary>
    /// The valence names an event or a plain fact rather than a judgement, or comes from the general (machine-translated)
    /// lexicon only: "Verspätung", "Streik", "gesperrt", "günstig" are what news and advertising say as much as what
    /// travellers complain about or praise. Such words count in full only where
    /// the author speaks (German; see <see cref="SentimentScorer"/>).
    /// </summary>
    public bool Event;

    public Cue Cue;

    /// <summary>A service that fails when negated: "kein WLAN", "der Zug kam nicht" (NaN: none).</summary>
    public float NegatedValence = float.NaN;

    /// <summary>Sentiment and modifier phrases that begin with this word, longest first.</summary>
    public Phrase[] Phrases = [];

    /// <summary>German separable verbs that begin with this word: the particle closes the clause ("fällt der Zug aus").</summary>
    public (string[] Particle, float Valence, bool Event)[] Separable = [];

    /// <summary>Emotion phrases that begin with this word, longest first.</summary>
    public Phrase[] EmotionPhrases = [];

    /// <summary>Emotions the word alone expresses: (index, weight).</summary>
    public (int Emotion, float Weight)[] Emotions = [];

    public bool HasValence => !float.IsNaN(Valence);
}
