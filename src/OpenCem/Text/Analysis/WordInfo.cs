namespace OpenCem.Text.Analysis;

/// <summary>How a word changes the sentiment words after it.</summary>
internal enum Modifier : byte
{
    None,
    Booster,
    Negation,
    Contrast,
}

/// <summary>The emotions of the analyser's documented set, in the order of <see cref="Emotions.Names"/>.</summary>
internal static class Emotions
{
    public static readonly string[] Names = ["anger", "frustration", "disappointment", "worry", "confusion", "joy", "gratitude", "relief", "surprise"];

    public static int IndexOf(string name) => Array.IndexOf(Names, name) is >= 0 and var i ? i : throw new InvalidDataException($"Unknown emotion \"{name}\".");
}

/// <summary>Several words read as one: a sentiment phrase ("still waiting"), a modifier ("kind of") or an emotion phrase.</summary>
/// <param name="Words">Folded words after the first; a word ending in * matches any word that begins with it.</param>
internal sealed record Phrase(string[] Words, float Valence, Modifier Modifier, float Boost, int Emotion, float EmotionWeight)
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

    /// <summary>Sentiment and modifier phrases that begin with this word, longest first.</summary>
    public Phrase[] Phrases = [];

    /// <summary>German separable verbs that begin with this word: the particle closes the clause ("fällt der Zug aus").</summary>
    public (string[] Particle, float Valence)[] Separable = [];

    /// <summary>Emotion phrases that begin with this word, longest first.</summary>
    public Phrase[] EmotionPhrases = [];

    /// <summary>Emotions the word alone expresses: (index, weight).</summary>
    public (int Emotion, float Weight)[] Emotions = [];

    public bool HasValence => !float.IsNaN(Valence);
}
