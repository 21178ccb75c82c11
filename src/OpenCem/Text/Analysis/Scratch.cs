namespace OpenCem.Text.Analysis;

/// <summary>
/// The per-thread working memory of one analysis: folded text, tokens, sentences and per-token results. Reused for
/// every text the thread analyses, so the hot path allocates nothing per token.
/// </summary>
internal sealed class Scratch
{
    [ThreadStatic]
    private static Scratch? _current;

    public char[] Folded = new char[1024];
    public Token[] Tokens = new Token[256];
    public Sentence[] Sentences = new Sentence[32];
    public WordInfo?[] Infos = new WordInfo?[256];

    /// <summary>Per token: the valence it carries after phrases (NaN none), how many tokens its phrase spans.</summary>
    public float[] Valences = new float[256];
    public float[] Scores = new float[256];
    public int[] Spans = new int[256];
    public Modifier[] Modifiers = new Modifier[256];
    public float[] Boosts = new float[256];

    /// <summary>Per token: its valence names an event (<see cref="WordInfo.Event"/>).</summary>
    public bool[] Events = new bool[256];
    public double[] EmotionSums = new double[Emotions.Names.Length];

    /// <summary>The text last scanned (evidence spans are cut from it).</summary>
    public string Source = "";

    public int TokenCount;
    public int SentenceCount;
    public int GermanLetters;

    /// <summary>The text opens like a headline: a colon after its first few words ("Bahnstreik: Fernverkehr eingeschränkt").</summary>
    public bool Headline;

    public static Scratch Current => _current ??= new Scratch();

    public void Reset(int textLength)
    {
        if (Folded.Length < textLength * 2 + 8)
        {
            Folded = new char[textLength * 2 + 8];
        }

        TokenCount = 0;
        SentenceCount = 0;
        GermanLetters = 0;
        Headline = false;
    }

    public void AddToken(in Token token)
    {
        if (TokenCount == Tokens.Length)
        {
            var size = Tokens.Length * 2;
            Array.Resize(ref Tokens, size);
            Array.Resize(ref Infos, size);
            Array.Resize(ref Valences, size);
            Array.Resize(ref Scores, size);
            Array.Resize(ref Spans, size);
            Array.Resize(ref Modifiers, size);
            Array.Resize(ref Boosts, size);
            Array.Resize(ref Events, size);
        }

        Tokens[TokenCount++] = token;
    }

    public void AddSentence(in Sentence sentence)
    {
        if (SentenceCount == Sentences.Length)
        {
            Array.Resize(ref Sentences, Sentences.Length * 2);
        }

        Sentences[SentenceCount++] = sentence;
    }

    public ReadOnlySpan<char> Text(int token) => Folded.AsSpan(Tokens[token].Start, Tokens[token].Length);
}
