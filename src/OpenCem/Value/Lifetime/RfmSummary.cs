namespace OpenCem.Value.Lifetime;

/// <summary>
/// Summarises a purchase log (sorted by customer, then day) for the models: several purchases by one customer on one
/// day are one transaction (their values summed); x counts the purchase days after the first up to the calibration end
/// (inclusive), t_x and T are measured from the first purchase day; customers whose first purchase is after the
/// calibration end are not part of the cohort. Days after the calibration end are counted per holdout period
/// (period k holds days in (end + (k−1)·unit, end + k·unit]).
/// </summary>
public sealed class RfmSummary(int calibrationEndDay, ClvTimeUnit unit, int holdoutPeriods)
{
    private readonly double _unitDays = unit.Days();
    private readonly List<CustomerRfm> _customers = [];
    private long _customer = long.MinValue;
    private int _lastDay = int.MinValue;
    private double _dayAmount;
    private int _firstDay;
    private int _repeats;
    private int _lastRepeatDay;
    private double _repeatSum;
    private int[]? _holdout;
    private bool _open;
    private bool _inCohort;

    public IReadOnlyList<CustomerRfm> Customers => _customers;

    /// <summary>Customers seen whose first purchase falls after the calibration end.</summary>
    public int LaterCustomers { get; private set; }

    /// <summary>The holdout period (1-based) of a day after the calibration end.</summary>
    public static int HoldoutPeriod(int day, int calibrationEndDay, double unitDays) => (int)Math.Ceiling((day - calibrationEndDay) / unitDays - 1e-9);

    /// <summary>Adds one purchase; purchases must come sorted by customer and day.</summary>
    public void Add(Purchase purchase)
    {
        if (purchase.CustomerId != _customer)
        {
            Close();
            _customer = purchase.CustomerId;
            _open = true;
            _firstDay = purchase.Day;
            _inCohort = purchase.Day <= calibrationEndDay;
            _lastDay = purchase.Day;
            _dayAmount = purchase.Amount;
            _repeats = 0;
            _lastRepeatDay = purchase.Day;
            _repeatSum = 0;
            _holdout = null;
            return;
        }

        if (purchase.Day < _lastDay)
        {
            throw new ArgumentException("Purchases must be sorted by customer and day.", nameof(purchase));
        }

        if (purchase.Day == _lastDay)
        {
            _dayAmount += purchase.Amount;
            return;
        }

        CloseDay();
        _lastDay = purchase.Day;
        _dayAmount = purchase.Amount;
    }

    /// <summary>Closes the last customer; call once after the last purchase.</summary>
    public IReadOnlyList<CustomerRfm> Complete()
    {
        Close();
        return _customers;
    }

    /// <summary>Summarises an unsorted log (tests, small inputs).</summary>
    public static IReadOnlyList<CustomerRfm> Of(IEnumerable<Purchase> purchases, int calibrationEndDay, ClvTimeUnit unit, int holdoutPeriods)
    {
        var summary = new RfmSummary(calibrationEndDay, unit, holdoutPeriods);
        foreach (var purchase in purchases.OrderBy(p => p.CustomerId).ThenBy(p => p.Day))
        {
            summary.Add(purchase);
        }

        return summary.Complete();
    }

    private void CloseDay()
    {
        if (_lastDay == _firstDay)
        {
            return;
        }

        if (_lastDay <= calibrationEndDay)
        {
            _repeats++;
            _lastRepeatDay = _lastDay;
            _repeatSum += _dayAmount;
            return;
        }

        var period = HoldoutPeriod(_lastDay, calibrationEndDay, _unitDays);
        if (period <= holdoutPeriods)
        {
            _holdout ??= new int[holdoutPeriods];
            _holdout[period - 1]++;
        }
    }

    private void Close()
    {
        if (!_open)
        {
            return;
        }

        CloseDay();
        _open = false;
        if (!_inCohort)
        {
            LaterCustomers++;
            return;
        }

        _customers.Add(new CustomerRfm(
            _customer, _repeats, _lastRepeatDay - _firstDay, calibrationEndDay - _firstDay, _repeats > 0 ? _repeatSum / _repeats : 0, _holdout));
    }
}
