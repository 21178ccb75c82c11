using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.ObjectPool;

namespace OpenCem.Feedback.Respondents;

/// <summary>HTML written into pooled string builders: text and attribute values encoded, the result sent as UTF-8.</summary>
public static class HtmlText
{
    private static readonly ObjectPool<StringBuilder> Builders =
        new DefaultObjectPoolProvider().CreateStringBuilderPool(initialCapacity: 16 * 1024, maximumRetainedCapacity: 64 * 1024);

    private static readonly UTF8Encoding Utf8Encoding = new(encoderShouldEmitUTF8Identifier: false);

    public static StringBuilder Rent() => Builders.Get();

    public static void Return(StringBuilder html) => Builders.Return(html);

    /// <summary>Appends <paramref name="text"/> with <c>&amp; &lt; &gt; " '</c> escaped: safe in text and in quoted attributes.</summary>
    public static StringBuilder Encode(this StringBuilder html, string? text)
    {
        if (text is null)
        {
            return html;
        }

        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var entity = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            if (entity is not null)
            {
                html.Append(text, start, i - start).Append(entity);
                start = i + 1;
            }
        }

        return html.Append(text, start, text.Length - start);
    }

    /// <summary>Appends <c> name="value"</c> with the value encoded.</summary>
    public static StringBuilder Attribute(this StringBuilder html, string name, string value) =>
        html.Append(' ').Append(name).Append("=\"").Encode(value).Append('"');

    /// <summary>Sends the page as UTF-8 with its length, straight from the builder's chunks into the response.</summary>
    public static async Task SendAsync(HttpResponse response, int status, StringBuilder html, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = Utf8Length(html);
        Utf8(html, response.BodyWriter);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    public static long Utf8Length(StringBuilder html)
    {
        // One encoder over all chunks: a surrogate pair split between two chunks still counts as one character.
        var encoder = Utf8Encoding.GetEncoder();
        long length = 0;
        foreach (var chunk in html.GetChunks())
        {
            length += encoder.GetByteCount(chunk.Span, flush: false);
        }

        return length + encoder.GetByteCount([], flush: true);
    }

    public static void Utf8(StringBuilder html, IBufferWriter<byte> writer)
    {
        var encoder = Utf8Encoding.GetEncoder();
        foreach (var chunk in html.GetChunks())
        {
            encoder.Convert(chunk.Span, writer, flush: false, out _, out _);
        }

        encoder.Convert([], writer, flush: true, out _, out _);
    }
}
