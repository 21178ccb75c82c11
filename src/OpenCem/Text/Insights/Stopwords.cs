namespace OpenCem.Text.Insights;

/// <summary>
/// Function words of English and German that never make a phrase a theme on their own (written for OpenCem; a short
/// list is enough here because only the edges of a phrase are checked and counts decide the rest).
/// </summary>
internal static class Stopwords
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        // English
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being",
        "but", "by", "can", "could", "did", "do", "does", "doing", "don't", "for", "from", "had", "has", "have", "having", "he", "her", "here",
        "him", "his", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "just", "me", "more", "most", "my", "no", "nor", "not",
        "now", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "still",
        "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
        "you", "your", "thanks", "thank", "please", "really", "much", "many", "get", "got", "one", "two", "even", "ever", "never", "again",
        "did", "didn't", "wasn't", "isn't", "can't", "won't", "i've", "we've", "you're", "there's", "okay", "ok", "yes",
        // German
        "aber", "alle", "allem", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "bitte", "da", "damit", "dann", "das",
        "dass", "dem", "den", "der", "des", "die", "dies", "diese", "diesem", "diesen", "dieser", "doch", "dort", "du", "durch", "ein", "eine",
        "einem", "einen", "einer", "eines", "er", "es", "etwas", "für", "gegen", "hab", "habe", "haben", "hat", "hatte", "hätte", "ich", "ihr",
        "ihre", "im", "in", "ist", "ja", "jetzt", "kann", "kein", "keine", "man", "mein", "meine", "mich", "mir", "mit", "muss", "musste",
        "nach", "nicht", "noch", "nur", "ob", "oder", "ohne", "schon", "sehr", "sein", "sich", "sie", "sind", "so", "um", "und", "uns", "unser",
        "vom", "von", "vor", "war", "waren", "was", "weil", "wenn", "wie", "wieder", "wir", "wird", "wurde", "zu", "zum", "zur", "danke",
        "immer", "ganz", "gibt", "mal", "einfach", "viel", "wirklich",
    };

    public static bool Contains(string word) => Words.Contains(word);
}
