using S = OpenCem.Demo.DemoSurveys;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>Truth 12: after a technician visit, the customer rates the appointment, above all the days they waited for it.</summary>
internal sealed partial class CustomerVoice
{
    /// <summary>Drawn after everything else the customer says, so the other answers stay exactly as they were.</summary>
    private void TechnicianSurveys()
    {
        foreach (var fault in _s.Faults)
        {
            if (fault.VisitEvent < 0 || _rng.NextDouble() >= Truth.VisitSurveySampling)
            {
                continue;
            }

            var visitAt = _s.Events[_s.EventIndex(fault.VisitEvent)].Ticks;
            var daysWaited = (visitAt - fault.ReportedAt) / (double)Day;
            if (Invite(S.TechnicianAppointment, S.TechnicianTouchpoint, fault.VisitEvent, visitAt, Truth.TransactionalDelayMinutes, Truth.TransactionalResponseRate) is not { } answered)
            {
                continue;
            }

            var missed = fault.MissedAppointment ? Truth.MissedAppointmentPenalty : 0;
            var csat = Whole(Truth.VisitCsatWithoutWait - (Truth.VisitCsatPerDayWaited * daysWaited) - missed + (0.25 * _c.Disposition) + (0.6 * Gaussian()), 1, 5);
            var ces = Whole((fault.VisitEffort ?? 4) - (0.5 * daysWaited) - missed + (Truth.CesAnswerNoise * Gaussian()), 1, 7);
            _answers.Start().Number("csat", csat).Number("ces", ces);
            _candidates.Clear();
            if (daysWaited >= Truth.LongWaitDays || fault.MissedAppointment)
            {
                Candidate(Theme.Waiting, false, 2, (int)Math.Ceiling(daysWaited));
            }

            if (fault.MissedAppointment)
            {
                Candidate(Theme.Information, false, 1);
            }

            Candidate(Theme.Technician, fault.VisitEffort >= 4, 0.8);
            var tone = csat - 3;
            var (first, second) = Pick(tone, Theme.Waiting);
            Comment(first, second, tone);
            _responses.Add(new DemoResponse(S.TechnicianAppointment, ExternalId("visit", fault.Number), _c.UserId, _c.Language, At(answered), _answers.End(),
                S.TechnicianTouchpoint, MessageId(fault.VisitEvent), _invitations[^1].Nonce));
        }
    }
}
