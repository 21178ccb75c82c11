using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace OpenCem.Hosting;

/// <summary>Where a text's bytes stop being UTF-8: the line (1-based; \n, \r\n and a lone \r end a line), the column (1-based, in characters) and the byte.</summary>
public sealed record InvalidUtf8(long Line, long Column, byte Byte)
{
    /// <summary>How every <see cref="Reason"/> starts, for callers that add advice (re-encode the file) to such rejections.</summary>
    public const string NotUtf8 = "is not UTF-8";

    public string Reason => $"{NotUtf8}: byte 0x{Byte:X2} at column {Column}";

    /// <summary>The first place in <paramref name="utf8"/> that is not UTF-8, null when it all is.</summary>
    public static InvalidUtf8? First(ReadOnlySpan<byte> utf8) =>
        Utf8.IsValid(utf8) ? null : Utf8LineReader.Scan(utf8, 1, pendingCr: false, stopAtFirst: true).Invalid.FirstOrDefault();
}

/// <summary>
/// Decodes UTF-8 as <see cref="StreamReader"/> does (invalid bytes become U+FFFD, so a parser still sees the lines), but
/// notes each line that held bytes that are not UTF-8, for the reader of the file to reject it by line number instead
/// of storing the replacement characters. Valid blocks take the vectorised path: one validation and one decode each.
/// </summary>
public sealed class Utf8LineReader(Stream stream) : TextReader
{
    private const int BlockSize = 64 * 1024;

    private readonly Queue<InvalidUtf8> _invalid = new();
    private byte[] _bytes = new byte[BlockSize];
    private int _byteCount;
    private char[] _chars = new char[BlockSize + 1];
    private int _charPos;
    private int _charCount;
    private long _line = 1;
    private bool _pendingCr;
    private bool _eof;
    private bool _preambleChecked;

    /// <summary>
    /// The first line in [<paramref name="from"/>, <paramref name="to"/>] that is not UTF-8, forgetting every noted line up
    /// to <paramref name="to"/>; read the lines first (the notes are made as blocks are decoded).
    /// </summary>
    public InvalidUtf8? Take(long from, long to)
    {
        InvalidUtf8? found = null;
        while (_invalid.TryPeek(out var next) && next.Line <= to)
        {
            _invalid.Dequeue();
            if (next.Line >= from && found is null)
            {
                found = next;
            }
        }

        return found;
    }

    /// <summary>Any line noted and not yet taken.</summary>
    public InvalidUtf8? FirstPending => _invalid.TryPeek(out var next) ? next : null;

    public override int Peek() => _charPos < _charCount || Fill() ? _chars[_charPos] : -1;

    public override int Read() => _charPos < _charCount || Fill() ? _chars[_charPos++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty || (_charPos >= _charCount && !Fill()))
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _charCount - _charPos);
        _chars.AsSpan(_charPos, n).CopyTo(buffer);
        _charPos += n;
        return n;
    }

    public override string? ReadLine()
    {
        if (_charPos >= _charCount && !Fill())
        {
            return null;
        }

        StringBuilder? longer = null;
        while (true)
        {
            var rest = _chars.AsSpan(_charPos, _charCount - _charPos);
            var end = rest.IndexOfAny('\r', '\n');
            if (end >= 0)
            {
                // Made before looking past a \r: that look may decode the next block into the same buffer.
                var line = longer is null ? new string(rest[..end]) : longer.Append(rest[..end]).ToString();
                var cr = rest[end] == '\r';
                _charPos += end + 1;
                if (cr && Peek() == '\n')
                {
                    _charPos++;
                }

                return line;
            }

            (longer ??= new StringBuilder()).Append(rest);
            _charPos = _charCount;
            if (!Fill())
            {
                return longer.ToString();
            }
        }
    }

    public override string ReadToEnd()
    {
        var all = new StringBuilder();
        while (_charPos < _charCount || Fill())
        {
            all.Append(_chars, _charPos, _charCount - _charPos);
            _charPos = _charCount;
        }

        return all.ToString();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            stream.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Decodes the next block of whole characters; false at the end of the stream.</summary>
    private bool Fill()
    {
        _charPos = 0;
        _charCount = 0;
        while (_charCount == 0)
        {
            while (!_eof && _byteCount < _bytes.Length)
            {
                var read = stream.Read(_bytes, _byteCount, _bytes.Length - _byteCount);
                _eof = read == 0;
                _byteCount += read;
            }

            if (!_preambleChecked && (_byteCount >= 3 || _eof))
            {
                _preambleChecked = true;
                if (_bytes.AsSpan(0, _byteCount).StartsWith("\uFEFF"u8))
                {
                    Consume(3);
                }
            }

            if (_byteCount == 0)
            {
                return false;
            }

            // Cut after the last ASCII byte, which never is inside a UTF-8 sequence; a block without one grows.
            var cut = _eof ? _byteCount : _bytes.AsSpan(0, _byteCount).LastIndexOfAnyInRange((byte)0, (byte)0x7F) + 1;
            if (cut == 0)
            {
                Array.Resize(ref _bytes, _bytes.Length * 2);
                continue;
            }

            Decode(_bytes.AsSpan(0, cut));
            Consume(cut);
        }

        return true;
    }

    private void Decode(ReadOnlySpan<byte> block)
    {
        if (_chars.Length < block.Length + 1)
        {
            _chars = new char[block.Length + 1];
        }

        // UTF-16 never needs more characters than UTF-8 has bytes; invalid bytes become one U+FFFD each at most.
        _charCount = Encoding.UTF8.GetChars(block, _chars);
        var scan = Scan(block, _line, _pendingCr, stopAtFirst: false, valid: Utf8.IsValid(block));
        foreach (var invalid in scan.Invalid)
        {
            _invalid.Enqueue(invalid);
        }

        (_line, _pendingCr) = (scan.Line, scan.PendingCr);
    }

    private void Consume(int count)
    {
        _bytes.AsSpan(count, _byteCount - count).CopyTo(_bytes);
        _byteCount -= count;
    }

    /// <summary>
    /// Counts the lines of <paramref name="block"/> from <paramref name="line"/> and, unless it is known valid, notes the
    /// first bad byte of each line. <paramref name="pendingCr"/>: the previous block ended in \r (a \n first ends no line).
    /// </summary>
    internal static (List<InvalidUtf8> Invalid, long Line, bool PendingCr) Scan(ReadOnlySpan<byte> block, long line, bool pendingCr, bool stopAtFirst, bool valid = false)
    {
        var invalid = new List<InvalidUtf8>();
        if (valid)
        {
            // The fast path: only the line breaks matter. \r\n is one break, and so is a \n after the previous block's \r.
            var breaks = block.Count((byte)'\n') + block.Count((byte)'\r') - block.Count("\r\n"u8)
                - (pendingCr && block.Length > 0 && block[0] == '\n' ? 1 : 0);
            return (invalid, line + breaks, block.Length > 0 ? block[^1] == '\r' : pendingCr);
        }

        var column = 1L;
        var lineNoted = false;
        var i = 0;
        while (i < block.Length)
        {
            var b = block[i];
            if (b is (byte)'\n' or (byte)'\r')
            {
                // The \r of a \r\n counted the line already.
                if (!(b == '\n' && pendingCr))
                {
                    line++;
                }

                pendingCr = b == '\r';
                column = 1;
                lineNoted = false;
                i++;
                continue;
            }

            pendingCr = false;
            var status = Rune.DecodeFromUtf8(block[i..], out _, out var consumed);
            if (status != OperationStatus.Done && !lineNoted)
            {
                invalid.Add(new InvalidUtf8(line, column, b));
                lineNoted = true;
                if (stopAtFirst)
                {
                    break;
                }
            }

            column++;
            i += Math.Max(1, consumed);
        }

        return (invalid, line, pendingCr);
    }
}
