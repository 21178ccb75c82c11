using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>What a customer could talk about, and how the themes of a comment are chosen to match its score.</summary>
internal sealed partial class CustomerVoice
{
    /// <summary>The themes of the customer's whole relationship up to <paramref name="at"/>, weighted by how strongly they were felt.</summary>
    private void CustomerThemes(long at)
    {
        _candidates.Clear();
        FaultEpisode? worst = null;
        var (count, ease) = FaultsBefore(at);
        foreach (var fault in _s.Faults.Where(f => f.ResolvedAt < at))
        {
            worst = worst is { } w && w.Ease <= fault.Ease ? w : fault;
        }

        if (worst is { } hardest)
        {
            if (ease <= 3.5)
            {
                RepairComplaints(hardest, 1 + (3.5 - ease));
            }
            else if (ease >= 5)
            {
                Candidate(hardest.VisitEffort is null ? Theme.Result : Theme.Technician, true, 1);
                if (hardest.DaysWaited <= 1)
                {
                    Candidate(Theme.Waiting, true, 0.8);
                }
            }

            if (count >= 2)
            {
                Candidate(Theme.Network, false, 0.5 * count);
            }
        }
        else
        {
            Candidate(Theme.Network, true, 0.6);
        }

        Quality(Theme.Billing, _c.BillingQuality, 0.7);
        if (_s.FrustratedSince > 0 && _s.FrustratedSince <= at)
        {
            Candidate(Theme.App, false, 2.5);
        }
        else if (_c.UsesApp)
        {
            Quality(Theme.App, _c.SelfServiceQuality, 0.9);
        }

        Quality(Theme.Hotline, _c.ServiceQuality, 1);
        Candidate(Theme.Price, false, 0.7 * _c.Persona.PriceTalk);
        Candidate(Theme.Price, true, 0.35);
    }

    /// <summary>The themes of one fault repair.</summary>
    private void RepairThemes(FaultEpisode fault)
    {
        _candidates.Clear();
        if (fault.DaysWaited >= Truth.LongWaitDays || fault.MissedAppointment)
        {
            Candidate(Theme.Waiting, false, 1.5, fault.DaysWaited);
        }
        else if (fault.DaysWaited <= 1)
        {
            Candidate(Theme.Waiting, true, 1.2);
        }

        if (fault.VisitEffort is { } visit)
        {
            Candidate(Theme.Technician, visit >= 4, 1.2);
        }

        if (fault.MissedAppointment)
        {
            Candidate(Theme.Information, false, 1);
        }
        else
        {
            Candidate(Theme.Information, fault.Ease >= 4, 0.5);
        }

        Candidate(Theme.Hotline, fault.ReportEffort >= 4, 0.6);
        Candidate(Theme.Result, fault.ResolvedEffort >= 4, 0.8);
        Candidate(Theme.Network, false, 0.3);
    }

    /// <summary>What went wrong in a hard repair, for comments about the whole relationship and for complaints.</summary>
    private void RepairComplaints(FaultEpisode fault, double weight)
    {
        if (fault.DaysWaited >= Truth.LongWaitDays || fault.MissedAppointment)
        {
            Candidate(Theme.Waiting, false, weight, fault.DaysWaited);
        }

        if (fault.VisitEffort is <= 3)
        {
            Candidate(Theme.Technician, false, weight * 0.8);
        }

        Candidate(fault.ResolvedEffort <= 3 ? Theme.Result : Theme.Information, false, weight * 0.6);
    }

    /// <summary>The themes of a lost customer's comment: the reason they gave, in their own words.</summary>
    private void LostThemes(string reason, long at)
    {
        _candidates.Clear();
        switch (reason)
        {
            case "service":
                var hardest = _s.Faults.Where(f => f.ResolvedAt < at).OrderBy(f => f.Ease).FirstOrDefault();
                if (hardest.Number > 0)
                {
                    RepairComplaints(hardest, 1.5);
                }
                else
                {
                    Candidate(Theme.Hotline, false, 1);
                }

                break;
            case "self-service":
                Candidate(Theme.App, false, 1.5);
                break;
            case "competitor":
                Candidate(Theme.Competitor, false, 1.5);
                Candidate(Theme.Price, false, 0.5);
                break;
            case "moving":
                Candidate(Theme.Moving, false, 1);
                break;
            case "no-need":
                Candidate(Theme.NoNeed, false, 1);
                break;
            default:
                Candidate(reason switch { "price" => Theme.Price, "network" => Theme.Network, "billing" => Theme.Billing, _ => Theme.Hotline }, false, 1);
                break;
        }
    }

    private void Quality(Theme theme, double quality, double threshold)
    {
        if (Math.Abs(quality) > threshold)
        {
            Candidate(theme, quality > 0, Math.Abs(quality));
        }
    }

    private void Candidate(Theme theme, bool positive, double weight, int number = 0) =>
        _candidates.Add((new Mention(theme, positive, number), weight));

    /// <summary>
    /// One or two themes for a comment of the given tone (-2 … 2): the first of the tone's sign (mixed: either), led by
    /// <paramref name="lead"/> when the customer has it to complain about; the second of the opposite sign for mixed
    /// feelings (always at tone 0, sometimes at ±1), else sometimes another of the same sign.
    /// </summary>
    private (Mention? First, Mention? Second) Pick(int tone, Theme? lead)
    {
        var positive = tone > 0 || (tone == 0 && _rng.NextDouble() < 0.5);
        Mention? first = null;
        if (!positive && lead is { } theme && _candidates.FindIndex(c => c.Mention.Theme == theme && !c.Mention.Positive) is >= 0 and var i
            && _rng.NextDouble() < Truth.WaitingMentionShare)
        {
            first = _candidates[i].Mention;
        }

        first ??= Draw(positive, null);
        if (first is not { } said)
        {
            return (null, null);
        }

        var mixed = tone == 0 || (Math.Abs(tone) == 1 && _rng.NextDouble() < 0.25);
        var second = mixed ? Draw(!said.Positive, said.Theme) : _rng.NextDouble() < 0.4 ? Draw(said.Positive, said.Theme) : null;
        return (said, second);
    }

    private Mention? Draw(bool positive, Theme? except)
    {
        var total = 0.0;
        foreach (var (mention, weight) in _candidates)
        {
            total += mention.Positive == positive && mention.Theme != except ? weight : 0;
        }

        if (total <= 0)
        {
            return null;
        }

        var draw = _rng.NextDouble() * total;
        Mention? last = null;
        foreach (var (mention, weight) in _candidates)
        {
            if (mention.Positive == positive && mention.Theme != except && weight > 0)
            {
                last = mention;
                if ((draw -= weight) < 0)
                {
                    break;
                }
            }
        }

        return last;
    }

    /// <summary>The survey choice (NPS reason or strength) that a theme belongs to.</summary>
    private static string Area(Theme theme) => theme switch
    {
        Theme.Waiting or Theme.Technician or Theme.Hotline or Theme.HoldTime or Theme.Information or Theme.Result => "service",
        Theme.Billing => "billing",
        Theme.App => "self-service",
        Theme.Price or Theme.Competitor => "price",
        Theme.Network => "network",
        _ => "other",
    };
}
