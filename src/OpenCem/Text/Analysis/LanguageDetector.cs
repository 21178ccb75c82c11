namespace OpenCem.Text.Analysis;

/// <summary>
/// English, German or undetermined, from the scanned tokens: function words of each language (and umlauts for
/// German) are counted, the dominant language wins; without any, the sentiment words of each lexicon decide.
/// </summary>
internal static class LanguageDetector
{
    public const string Undetermined = "und";

    public static string Detect(Scratch scratch)
    {
        var english = LanguagePack.For("en");
        var german = LanguagePack.For("de");
        int en = 0, de = 0, enWords = 0, deWords = 0;
        for (var i = 0; i < scratch.TokenCount; i++)
        {
            if (scratch.Tokens[i].Kind != TokenKind.Word)
            {
                continue;
            }

            var word = scratch.Text(i);
            var inEnglish = english.Find(word);
            var inGerman = german.Find(word);
            en += inEnglish is { Stopword: true } ? 1 : 0;
            de += inGerman is { Stopword: true } ? 1 : 0;
            enWords += inEnglish is { HasValence: true } ? 1 : 0;
            deWords += inGerman is { HasValence: true } ? 1 : 0;
        }

        de += Math.Min(scratch.GermanLetters, 2);
        if (en == de)
        {
            (en, de) = (enWords, deWords);
        }

        return en > de ? "en" : de > en ? "de" : en > 0 ? "en" : Undetermined;
    }
}
