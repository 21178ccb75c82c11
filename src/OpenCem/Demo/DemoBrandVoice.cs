namespace OpenCem.Demo;

/// <summary>
/// Adds the brand vocabulary and the experiential dimensions to some demo comments, naturally: complaints about the
/// network, a fault that came back or the wait for a repair mostly say the line is unreliable (truth 16: "reliable"
/// is contradicted), app praise often says it is simple
/// ("simple" is confirmed), praised technicians left the place clean (sense), delighted customers bring their family
/// (relate). The choice hashes the comment, so the demo's random stream (and every other truth) stays as it was.
/// </summary>
internal static class DemoBrandVoice
{
    // No theme keywords here, so the themes each comment is counted under stay as they were.
    private static readonly string[] UnreliableEn = ["Not reliable at all.", "So unreliable.", "Totally unreliable."];
    private static readonly string[] UnreliableDe = ["Total unzuverlässig.", "Überhaupt nicht zuverlässig.", "Völlig unzuverlässig."];
    private static readonly string[] SimpleEn = ["So simple!", "Really simple and clear.", "Everything is simple in the app."];
    private static readonly string[] SimpleDe = ["Total unkompliziert.", "Wirklich einfach und übersichtlich.", "Alles ganz einfach."];
    private static readonly string[] CleanEn = ["He left everything clean and tidy.", "He even took the old cables and left no mess."];
    private static readonly string[] CleanDe = ["Er hat alles sauber und ordentlich hinterlassen.", "Er hat sogar den Dreck weggeräumt."];
    private static readonly string[] FamilyEn = ["My whole family is with you now.", "I have recommended you to my friends."];
    private static readonly string[] FamilyDe = ["Meine ganze Familie ist jetzt bei Ihnen.", "Ich habe Sie meinen Freunden empfohlen."];

    public static string Flavour(string text, Mention first, Mention? second, bool german, int tone)
    {
        var hash = Hash(text);
        bool Says(Theme theme, bool positive) => (first.Theme == theme && first.Positive == positive) || (second is { } s && s.Theme == theme && s.Positive == positive);
        var extra = (hash % 100) switch
        {
            < 90 when Says(Theme.Network, false) || Says(Theme.Result, false) || Says(Theme.Waiting, false) => german ? UnreliableDe : UnreliableEn,
            < 45 when Says(Theme.App, true) => german ? SimpleDe : SimpleEn,
            < 30 when Says(Theme.Technician, true) => german ? CleanDe : CleanEn,
            < 15 when tone == 2 => german ? FamilyDe : FamilyEn,
            _ => null,
        };
        return extra is null ? text : text + " " + extra[(int)(hash / 100 % (uint)extra.Length)];
    }

    /// <summary>FNV-1a: the same on every run and platform (string.GetHashCode is randomised per process).</summary>
    private static uint Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
