using System.Globalization;

namespace OpenCem.Text.Analysis;

internal enum TokenKind : byte
{
    Word,
    Symbol,
}

/// <summary>One word, emoji or emoticon; its folded text is <c>Folded[Start..Start+Length]</c> of the scratch.</summary>
internal struct Token
{
    public int Start;
    public int Length;
    public TokenKind Kind;
    public bool AllCaps;

    /// <summary>A comma, colon or dash follows: the clause ends here.</summary>
    public bool ClauseEnd;

    public int Sentence;

    /// <summary>Where the token stands in the scanned text (for evidence spans): first char and length.</summary>
    public int SourceStart;
    public int SourceLength;
}

/// <summary>A sentence: its tokens and the punctuation that closed it.</summary>
internal struct Sentence
{
    public int First;
    public int End;
    public bool Question;
    public int Exclamations;
}

/// <summary>
/// Splits a text into tokens and sentences in one pass, folding every word into a reused buffer: no allocation per
/// token, no regular expressions. Mentions (@name) and links are skipped; hashtags are read as words.
/// </summary>
internal static class TextScanner
{
    public static void Scan(string text, Scratch scratch, Func<string, bool> isEmoticon)
    {
        scratch.Reset(text.Length);
        scratch.Source = text;
        var folded = scratch.Folded;
        var position = 0;
        var sentence = 0;
        var sentenceStart = 0;
        var sentenceOpen = false;
        var questions = false;
        var exclamations = 0;
        var i = 0;

        void EndSentence()
        {
            if (sentenceOpen)
            {
                scratch.AddSentence(new Sentence { First = sentenceStart, End = scratch.TokenCount, Question = questions, Exclamations = exclamations });
                sentence++;
            }

            sentenceOpen = false;
            sentenceStart = scratch.TokenCount;
            questions = false;
            exclamations = 0;
        }

        void MarkClauseEnd()
        {
            if (scratch.TokenCount > sentenceStart)
            {
                scratch.Tokens[scratch.TokenCount - 1].ClauseEnd = true;
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var previous = i > 0 ? text[i - 1] : ' ';
                var start = i;
                var upper = 0;
                var lower = 0;
                var foldedStart = position;
                while (i < text.Length)
                {
                    c = text[i];
                    if (char.IsLetterOrDigit(c))
                    {
                        if (char.IsUpper(c))
                        {
                            upper++;
                        }

                        if (c is 'ä' or 'ö' or 'ü' or 'ß' or 'Ä' or 'Ö' or 'Ü')
                        {
                            scratch.GermanLetters++;
                        }
                        else if (char.IsLower(c))
                        {
                            lower++;
                        }
                    }
                    else if (!(c is '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > start))
                    {
                        break;
                    }

                    if (position - foldedStart < 64)
                    {
                        position += Folding.Write(c, folded, position);
                    }

                    i++;
                }

                if (previous == '@' || IsLink(text, start, i))
                {
                    // A mention or a link says nothing; skip the rest of it.
                    while (i < text.Length && !char.IsWhiteSpace(text[i]))
                    {
                        i++;
                    }

                    position = foldedStart;
                    continue;
                }

                scratch.AddToken(new Token
                {
                    Start = foldedStart,
                    Length = position - foldedStart,
                    Kind = TokenKind.Word,
                    AllCaps = upper >= 2 && lower == 0,
                    Sentence = sentence,
                    SourceStart = start,
                    SourceLength = i - start,
                });
                sentenceOpen = true;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (c == '\n' && i + 1 < text.Length && text[i + 1] is '\n' or '\r')
                {
                    EndSentence();
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c) || char.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol)
            {
                // An emoji: one code point; joiners, variation selectors and skin tones that follow belong to it.
                var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                var foldedStart = position;
                text.AsSpan(i, length).CopyTo(folded.AsSpan(position));
                position += length;
                i += length;
                while (i < text.Length && (text[i] is '\uFE0F' or '\u200D' || (text[i] == '\uD83C' && i + 1 < text.Length && text[i + 1] is >= '\uDFFB' and <= '\uDFFF')))
                {
                    i += text[i] == '\uD83C' ? 2 : 1;
                }

                scratch.AddToken(new Token { Start = foldedStart, Length = length, Kind = TokenKind.Symbol, Sentence = sentence });
                sentenceOpen = true;
                continue;
            }

            // Punctuation: an emoticon when a short chunk standing alone is one, else sentence and clause marks.
            if ((i == 0 || char.IsWhiteSpace(text[i - 1])) && c is ':' or ';' or '=' or '<' or '(' or ')' or '^' or '>' or '-')
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && end - i < 6)
                {
                    end++;
                }

                if (end - i >= 2 && (end == text.Length || char.IsWhiteSpace(text[end])) && isEmoticon(text[i..end]))
                {
                    var foldedStart = position;
                    for (var k = i; k < end; k++)
                    {
                        position += Folding.Write(text[k], folded, position);
                    }

                    scratch.AddToken(new Token { Start = foldedStart, Length = position - foldedStart, Kind = TokenKind.Symbol, Sentence = sentence });
                    sentenceOpen = true;
                    i = end;
                    continue;
                }
            }

            switch (c)
            {
                case '!':
                    exclamations++;
                    if (!(i + 1 < text.Length && text[i + 1] is '!' or '?'))
                    {
                        EndSentence();
                    }

                    break;
                case '?':
                    questions = true;
                    if (!(i + 1 < text.Length && text[i + 1] is '!' or '?'))
                    {
                        EndSentence();
                    }

                    break;
                case '.':
                    if (!(i > 0 && i + 1 < text.Length && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1])) && !Ordinal(text, i))
                    {
                        EndSentence();
                    }

                    break;
                case ';' or '\n':
                    EndSentence();
                    break;
                case ',' or ':' or '(' or ')' or '–' or '—' or '"' or '“' or '„' or '”':
                    scratch.Headline |= c == ':' && sentence == 0 && scratch.TokenCount is > 0 and <= 6;
                    MarkClauseEnd();
                    break;
                case '-':
                    if (i > 0 && i + 1 < text.Length && char.IsWhiteSpace(text[i - 1]))
                    {
                        MarkClauseEnd();
                    }

                    break;
                default:
                    break;
            }

            i++;
        }

        EndSentence();
    }

    /// <summary>German ordinals end in a dot inside the sentence: "in der 1. Klasse", "am 3. Mai" (one or two digits, a word after).</summary>
    private static bool Ordinal(string text, int dot)
    {
        var digits = 0;
        while (dot - digits - 1 >= 0 && char.IsDigit(text[dot - digits - 1]))
        {
            digits++;
        }

        var before = dot - digits - 1;
        return digits is 1 or 2 && (before < 0 || char.IsWhiteSpace(text[before]))
            && dot + 2 < text.Length && text[dot + 1] == ' ' && char.IsLetter(text[dot + 2]);
    }

    private static bool IsLink(string text, int start, int end)
    {
        var word = text.AsSpan(start, end - start);
        return (end + 2 < text.Length && text[end] == ':' && text[end + 1] == '/' && text[end + 2] == '/')
            || (word.Equals("www", StringComparison.OrdinalIgnoreCase) && end < text.Length && text[end] == '.');
    }
}
